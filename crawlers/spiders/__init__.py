"""One spider per platform; employers are entries in config/sources.toml."""
