"""Is an SQLite file on a network share? (SQLite's locking is unreliable there.)

SQLite's own documentation ("SQLite Over a Network", "How To Corrupt An SQLite Database
File" §2.1) warns that the file locks it relies on are broken or missing on many network
filesystems, so two workstations writing one file over NFS or SMB can corrupt it. The app
refuses such a file at start and points to PostgreSQL; a clinic that knows only one computer
ever opens the file sets :data:`ALLOW_ENV` to ``1``.

Detection, per platform, from pure functions tested on sample inputs:

- Windows: a UNC path (``\\\\server\\share\\...``, ``\\\\?\\UNC\\server\\...``) or a drive whose
  ``GetDriveTypeW`` is ``DRIVE_REMOTE`` (a mapped network drive);
- Linux: the filesystem type of the mount holding the file, from ``/proc/self/mounts``;
- macOS and the BSDs: the same, from the output of ``mount``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath

#: Set to 1 to open an SQLite file on a network share anyway (one workstation only).
ALLOW_ENV = "CLINIC_APP_ALLOW_NETWORK_SQLITE"

#: ``GetDriveTypeW``'s answer for a network drive.
DRIVE_REMOTE = 4

#: Filesystem types (as Linux and macOS name them) that live on another computer.
NETWORK_FS_TYPES = frozenset(
    {
        "nfs", "nfs4", "nfsd", "cifs", "smb", "smb2", "smb3", "smbfs", "afp", "afpfs",
        "ncpfs", "ncp", "sshfs", "fuse.sshfs", "9p", "v9fs", "ceph", "fuse.ceph",
        "glusterfs", "fuse.glusterfs", "lustre", "gpfs", "beegfs", "afs", "openafs",
        "davfs", "fuse.davfs2", "webdav", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse",
        "coda", "ocfs2", "gfs2", "moosefs", "fuse.mfs", "orangefs", "pvfs2",
    }
)  # fmt: skip


def is_network_fs_type(fs_type: str) -> bool:
    """True for a filesystem type that lives on another computer (``nfs4``, ``fuse.sshfs``...)."""
    name = fs_type.strip().lower()
    if name in NETWORK_FS_TYPES:
        return True
    # Versioned or vendor spellings: nfs3, smb3.1, fuse.sshfs-something.
    return any(
        name.startswith(prefix)
        for prefix in ("nfs", "smb", "cifs", "afp", "fuse.sshfs", "sshfs", "fuse.smb")
    )


def _unescape_mount_field(field: str) -> str:
    """``/proc/mounts`` writes a space in a path as ``\\040`` (and tab, newline, backslash)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_proc_mounts(text: str) -> list[tuple[str, str]]:
    """``(mount point, filesystem type)`` pairs from Linux's ``/proc/self/mounts``."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append((_unescape_mount_field(fields[1]), fields[2]))
    return mounts


_BSD_MOUNT = re.compile(r"^.+? on (?P<point>/.*?) \((?P<type>[^,)]+)")


def parse_bsd_mount_output(text: str) -> list[tuple[str, str]]:
    """``(mount point, filesystem type)`` pairs from macOS/BSD ``mount`` output, e.g.
    ``//ana@nas/clinic on /Volumes/clinic (smbfs, nodev, nosuid, mounted by ana)``."""
    mounts = []
    for line in text.splitlines():
        match = _BSD_MOUNT.match(line.strip())
        if match:
            mounts.append((match.group("point"), match.group("type")))
    return mounts


def fs_type_of(path: str, mounts: Iterable[tuple[str, str]]) -> str | None:
    """The filesystem type of the mount holding ``path`` (an absolute POSIX path): the mount
    point that is the longest prefix of it; the last such mount wins (it hides earlier ones)."""
    target = PurePosixPath(path)
    best: tuple[int, str] | None = None
    for point, fs_type in mounts:
        mount = PurePosixPath(point)
        if target == mount or mount in target.parents:
            depth = len(mount.parts)
            if best is None or depth >= best[0]:
                best = (depth, fs_type)
    return None if best is None else best[1]


def is_unc_path(path: str) -> bool:
    """True for a Windows UNC path: ``\\\\server\\share\\...``, ``//server/share/...`` or
    ``\\\\?\\UNC\\server\\share\\...``; False for device paths such as ``\\\\?\\C:\\...``."""
    normal = path.replace("/", "\\")
    if normal.upper().startswith("\\\\?\\UNC\\"):
        return True
    if normal.startswith(("\\\\?\\", "\\\\.\\")):
        return False
    return normal.startswith("\\\\") and len(normal) > 2 and normal[2] != "\\"


def windows_network_reason(path: str, drive_type: Callable[[str], int]) -> str | None:
    """Why a Windows path is on a network share (None when it is local).

    Args:
        path: an absolute Windows path.
        drive_type: ``GetDriveTypeW`` (given a root such as ``Z:\\``).
    """
    if is_unc_path(path):
        return "a network (UNC) path"
    drive = PureWindowsPath(path).drive.upper()
    if len(drive) == 2 and drive[1] == ":" and drive_type(drive + "\\") == DRIVE_REMOTE:
        return f"the mapped network drive {drive}"
    return None


def posix_network_reason(path: str, mounts: Iterable[tuple[str, str]]) -> str | None:
    """Why a POSIX path is on a network share (None when it is local or unknown)."""
    fs_type = fs_type_of(path, mounts)
    if fs_type is not None and is_network_fs_type(fs_type):
        return f"a network filesystem ({fs_type})"
    return None


def _get_drive_type(root: str) -> int:  # pragma: no cover - Windows only
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return 0
    return int(windll.kernel32.GetDriveTypeW(root))


def _system_mounts() -> list[tuple[str, str]]:
    """The mounts of this computer (empty when they cannot be read)."""
    try:
        return parse_proc_mounts(Path("/proc/self/mounts").read_text(encoding="utf-8"))
    except OSError:
        pass
    try:
        done = subprocess.run(["mount"], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return parse_bsd_mount_output(done.stdout)


def _existing(path: Path) -> Path:
    """``path`` with symbolic links resolved, or its nearest folder that exists."""
    resolved = path.expanduser().resolve()
    for candidate in (resolved, *resolved.parents):
        if candidate.exists():
            return candidate
    return resolved


def network_share_reason(
    path: Path,
    *,
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> str | None:
    """Why the SQLite file ``path`` (existing or to be made) is on a network share, or None
    when it is local, cannot be told, or :data:`ALLOW_ENV` is ``1``."""
    env = os.environ if environ is None else environ
    if env.get(ALLOW_ENV, "").strip() == "1":
        return None
    system = sys.platform if platform is None else platform
    if system == "win32":
        text = str(path)
        if is_unc_path(text):
            return windows_network_reason(text, _get_drive_type)
        return windows_network_reason(str(_existing(path)), _get_drive_type)
    return posix_network_reason(str(_existing(path)), _system_mounts())
