"""The file store: the catalog kept in pickle, JSON and YAML files."""
