"""The measures pages, one module per page area."""
