"""One module per page. Views gather what the domain layer computes; they compute nothing."""
