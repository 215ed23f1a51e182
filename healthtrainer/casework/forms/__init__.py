"""The casework forms, one module per page area, as the views are split."""
