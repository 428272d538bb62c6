"""Saved replies (core: no UI imports): the library of files, placeholders, network length limits."""

from .library import Library, Problem, SavedReply, load_folder, load_library, starter_dir
from .placeholders import BUILTIN, Filled, fill, placeholder_names

__all__ = [
    "BUILTIN",
    "Filled",
    "Library",
    "Problem",
    "SavedReply",
    "fill",
    "load_folder",
    "load_library",
    "placeholder_names",
    "starter_dir",
]
