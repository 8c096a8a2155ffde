"""Where a project's files live. The CLI works on the project in the current directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def papers_dir(self) -> Path:
        return self.data / "papers"

    @property
    def topics_file(self) -> Path:
        return self.data / "topics.yaml"

    @property
    def curation_file(self) -> Path:
        return self.data / "curation.yaml"

    @property
    def sources_file(self) -> Path:
        return self.data / "sources.yaml"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def build_dir(self) -> Path:
        """Caches and stamps of builds: never published, safe to delete at any time."""
        return self.root / ".almanac-build"

    def relative(self, path: Path) -> str:
        """A path as the user should see it in messages: relative to the project."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)
