"""Paper Almanac: a curated archive of research papers as a searchable static site."""

__version__ = "0.1.0"
