"""One spider per platform; employers are entries of the registry (sources.toml, sources.d/)."""
