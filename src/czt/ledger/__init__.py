"""Rules of the joint-task ledger (台账) that need no database: task status from milestones
and dates, reporting quarters and their due dates, and the Excel template."""
