# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import os
import re
import subprocess

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

# Paths that live outside the repository, built from pieces so that this
# file does not contain them itself.
OUTSIDE_MARKERS = (
    "/".join(("..", "shared")),
    "/".join(("", "work", "")),
    "/".join(("..", ".library")),
)
SKIPPED_DIRS = {".git", ".venv", ".state"}
# [text](target) and ![alt](target); reference definitions "[id]: target".
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def repository_root():
    """The repository holds the addon as one of its top-level folders."""
    return os.path.dirname(get_module_path("order_process_addon"))


def git_files(root):
    """The tracked files of the git repository at ``root``, or None when git
    is not there to ask."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [
        path
        for path in out.decode("utf-8").split("\0")
        if path and os.path.isfile(os.path.join(root, path))
    ]


def repository_files(root):
    """The repository's tracked files (relative paths); without git, every
    file but the local environment's (.venv, .state, .git)."""
    if os.path.exists(os.path.join(root, ".git")):
        files = git_files(root)
        if files is not None:
            return files
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(names):
            files.append(os.path.relpath(os.path.join(folder, name), root))
    return files


def read_text(path):
    """The file's text, or None for a binary file."""
    with open(path, "rb") as handle:
        data = handle.read()
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def markdown_links(text):
    """The link targets of a Markdown text, code blocks and spans left out."""
    text = INLINE_CODE.sub("", FENCE.sub("", text))
    return INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text)


def local_target(target):
    """The file part of a relative link, or None for a web address, an
    e-mail address or an anchor in the same page."""
    if SCHEME.match(target) or target.startswith("#"):
        return None
    path = target.split("#", 1)[0].split("?", 1)[0]
    return path or None


@tagged("post_install", "-at_install")
class TestRepository(TransactionCase):
    """Issue 12, item 10: the repository stands on its own.

    Someone who clones it must be able to follow every reference: no file
    points to a path outside the repository, and the relative links of the
    documentation (README.md, docs/*.md, the module's readme/*.md) lead to
    files that exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = os.path.realpath(repository_root())
        cls.files = repository_files(cls.root)

    def test_files_found(self):
        """The walk sees the repository: the README and the manifest."""
        self.assertIn("README.md", self.files)
        self.assertIn(
            os.path.join("order_process_addon", "__manifest__.py"), self.files
        )

    def test_nothing_points_outside(self):
        """No text file names a path outside the repository, and no relative
        Markdown link resolves outside its root."""
        problems = []
        for relpath in self.files:
            path = os.path.join(self.root, relpath)
            text = read_text(path)
            if text is None:
                continue
            for number, line in enumerate(text.splitlines(), 1):
                for marker in OUTSIDE_MARKERS:
                    if marker in line:
                        problems.append(f"{relpath}:{number}: {marker}")
            if not relpath.endswith(".md"):
                continue
            for target in markdown_links(text):
                local = local_target(target)
                if not local:
                    continue
                if os.path.isabs(local):
                    problems.append(f"{relpath}: absolute link {target}")
                    continue
                resolved = os.path.realpath(os.path.join(os.path.dirname(path), local))
                if os.path.commonpath([resolved, self.root]) != self.root:
                    problems.append(f"{relpath}: link outside {target}")
        self.assertFalse(
            problems,
            "Files refer to paths outside the repository:\n" + "\n".join(problems),
        )

    def test_documentation_links_exist(self):
        """Every relative link of README.md, docs/*.md and the module's
        readme/*.md leads to a file or folder of the repository."""
        documents = [
            relpath
            for relpath in self.files
            if relpath == "README.md"
            or re.fullmatch(r"docs/[^/]+\.md", relpath)
            or re.fullmatch(r"order_process_addon/readme/[^/]+\.md", relpath)
        ]
        self.assertIn("docs/PROCESS.md", documents)
        self.assertIn("docs/ADMIN.md", documents)
        broken = []
        for relpath in documents:
            path = os.path.join(self.root, relpath)
            for target in markdown_links(read_text(path) or ""):
                local = local_target(target)
                if not local:
                    continue
                resolved = os.path.normpath(os.path.join(os.path.dirname(path), local))
                if not os.path.exists(resolved):
                    broken.append(f"{relpath}: {target}")
        self.assertFalse(broken, "Broken links:\n" + "\n".join(broken))

    def test_docs_are_linked(self):
        """The README and the module's readme lead to the process and the
        administrator's guide."""
        with open(os.path.join(self.root, "README.md"), encoding="utf-8") as handle:
            readme = markdown_links(handle.read())
        self.assertIn("docs/PROCESS.md", readme)
        fragments = []
        folder = os.path.join(self.root, "order_process_addon", "readme")
        for name in sorted(os.listdir(folder)):
            if name.endswith(".md"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    fragments += markdown_links(handle.read())
        for doc in ("PROCESS.md", "ADMIN.md"):
            self.assertIn(f"../../docs/{doc}", fragments)
