"""The search trees on disk: the catalog and the word index's segments, and the manifest.

Each tree is made whole in a scratch folder beside the others and swapped in, with its
stamp inside it (buildfolder's Stamp, under the build key): the digest of what it was made
from and of its identity file (the catalog's `index.json`, a segment's `meta.json`, which
hold the digest of all their files). A tree made of the same papers is kept, whatever
else changed. The trees live in the build folder and are linked (or copied) into each
freshly built site, where the search page reads them (render/search.py's SEARCH_FOLDER).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from generator.errors import AlmanacError
from generator.fileio import write_if_changed
from generator.site.buildfolder import TREE_STAMP, BuildFolder
from generator.site.digest import hasher
from generator.site.render.search import MANIFEST

# The file that stands for a whole tree: its files' digest is in it.
_IDENTITIES = ("index.json", "meta.json")


def trees_in(root: Path) -> list[str]:
    """The trees in `root` (not the scratch folders of a tree being made)."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and "." not in p.name)


def index_is_current(folder: BuildFolder, tree: str, digest: str) -> bool:
    """Whether `tree` was made from this digest, and is as it was made."""
    path = folder.index / tree
    identity = _identity(path)
    return identity.is_file() and folder.tree_stamp(path).is_current(digest, _made(identity))


def tree_details(folder: BuildFolder, name: str) -> dict[str, Any]:
    """What was recorded with the stamp of the tree `name` besides its digests ({} when
    it has none, or it is from another build key)."""
    return folder.tree_stamp(folder.index / name).recorded()


def _made(identity: Path) -> str:
    """The tree as made, by its identity file's bytes (small; and times change when a CI
    cache is restored, while the tree is the same)."""
    try:
        return hasher(identity.read_bytes()).hexdigest()
    except OSError:
        return ""


def identity_files(root: Path) -> list[Path]:
    """The identity file of each tree in `root`: one stands for its whole tree."""
    return [_identity(root / tree) for tree in trees_in(root)]


def _identity(tree: Path) -> Path:
    return next((tree / n for n in _IDENTITIES if (tree / n).is_file()), tree / _IDENTITIES[0])


def put_tree(
    folder: BuildFolder,
    name: str,
    files: Mapping[str, str | bytes],
    digest: str,
    **details: Any,
) -> None:
    """The tree `name` of `files` (path -> content), with its stamp (and `details`
    recorded with it): made whole in a scratch folder and swapped in."""
    root = folder.index
    temp = root / f"{name}.new"
    shutil.rmtree(temp, ignore_errors=True)
    for rel, content in files.items():
        path = temp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    folder.tree_stamp(temp).record(digest, _made(_identity(temp)), **details)
    _swap(temp, root / name)


def finish_trees(folder: BuildFolder, manifest: str, trees: Collection[str]) -> None:
    """Write the manifest beside the trees and drop the trees not in `trees`."""
    root = folder.index
    root.mkdir(parents=True, exist_ok=True)
    write_if_changed(root / MANIFEST, manifest.encode("utf-8"))
    for old in trees_in(root):
        if old not in trees:
            shutil.rmtree(root / old, ignore_errors=True)
    for leftover in root.glob("*.new"):
        shutil.rmtree(leftover, ignore_errors=True)


def index_digest(root: Path) -> str:
    """A digest of the trees in `root`: the manifest and each tree's stamp."""
    digest = hasher()
    for path in sorted([root / MANIFEST, *root.glob(f"*/{TREE_STAMP}")]):
        try:
            digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes())
        except OSError:
            digest.update(f"{path.relative_to(root)} missing\0".encode())
    return digest.hexdigest()


def install_index(root: Path, dest: Path, *, link: bool, reuse: Path | None = None) -> None:
    """Put the trees and manifest of `root` at `dest` (the site's search folder).

    `link=True` makes a symbolic link (preview servers rebuild the site on every change);
    otherwise the files are hard-linked where possible, else copied, so the built site
    stands alone. `reuse` is a previous install (moved away while MkDocs rebuilt the
    site): its trees that are still current are kept, so a new day re-links the trees it
    changed, not every file.
    """
    if not (root / MANIFEST).is_file():
        raise AlmanacError(f"{root}: no search index to install")
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    elif dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if link:
        dest.symlink_to(root.resolve(), target_is_directory=True)
        return
    if reuse is not None and reuse.is_dir() and not reuse.is_symlink():
        reuse.rename(dest)
    dest.mkdir(exist_ok=True)
    (dest / MANIFEST).unlink(missing_ok=True)
    _link_or_copy(root / MANIFEST, dest / MANIFEST)
    trees = set(trees_in(root))
    for old in dest.iterdir():
        if old.is_dir() and old.name not in trees:
            shutil.rmtree(old)
        elif old.is_file() and old.name != MANIFEST:
            old.unlink()
    _install_trees(root, dest, sorted(trees))


def _install_trees(root: Path, dest: Path, trees: Iterable[str]) -> None:
    for tree in trees:
        if not _same_install(root / tree, dest / tree):
            shutil.rmtree(dest / tree, ignore_errors=True)
            _link_tree(root / tree, dest / tree)


def _same_install(source: Path, installed: Path) -> bool:
    # A tree is made whole, every file anew, so one hard-linked file that is still the
    # same file tells the whole tree is (copies are never taken as current).
    identity = _identity(source)
    try:
        return identity.samefile(installed / identity.name)
    except OSError:
        return False


def _link_tree(source: Path, dest: Path) -> None:
    # os.walk and os.link directly: shutil.copytree's per-file stat and copystat calls
    # cost seconds over tens of thousands of files.
    for folder, _dirs, names in os.walk(source):
        target = dest / Path(folder).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            if name != TREE_STAMP:
                _link_or_copy(Path(folder) / name, target / name)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _swap(temp: Path, final: Path) -> None:
    old = final.with_name(final.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    temp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
