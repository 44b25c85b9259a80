"""Commands of this module: see its owner's issue."""
