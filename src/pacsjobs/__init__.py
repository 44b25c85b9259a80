"""pacsjobs: find PACS Administrator jobs in the United States and rank them by fit."""

__version__ = "0.1.0"
