"""The store: reference data, observations with every vintage, targets, import batches."""
