"""Developer tools that are not part of the `almanac` package (fake HF API, publish dry run)."""
