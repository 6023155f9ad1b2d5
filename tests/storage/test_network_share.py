"""Detecting an SQLite file on a network share, from sample mount tables and paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.storage import network_share as ns

PROC_MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
nas:/export/clinic /srv/clinic nfs4 rw,relatime,vers=4.2 0 0
//nas/share /mnt/front\\040desk cifs rw,relatime,vers=3.1.1 0 0
ana@host:/data /home/ana/remote fuse.sshfs rw,nosuid,nodev 0 0
/dev/sdb1 /srv/clinic/local ext4 rw 0 0
drvfs /mnt/c 9p rw,noatime 0 0
"""

MACOS_MOUNT = """\
/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
devfs on /dev (devfs, local, nobrowse)
/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse, protect)
//ana@nas._smb._tcp.local/Clinic on /Volumes/Clinic (smbfs, nodev, nosuid, mounted by ana)
nas:/export on /Volumes/nfs share (nfs, asynchronous)
afp_0TQ on /Volumes/Old (afpfs, nodev, nosuid, mounted by ana)
"""


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/home/ana/clinic.sqlite3", None),
        ("/tmp/x.sqlite3", None),
        ("/srv/clinic/clinic.sqlite3", "a network filesystem (nfs4)"),
        ("/srv/clinic", "a network filesystem (nfs4)"),
        ("/srv/clinic/local/clinic.sqlite3", None),  # a local disk mounted inside the share
        ("/srv/clinicx/c.sqlite3", None),  # a prefix of the name is not the folder
        ("/mnt/front desk/c.sqlite3", "a network filesystem (cifs)"),
        ("/home/ana/remote/c.sqlite3", "a network filesystem (fuse.sshfs)"),
        ("/mnt/c/Users/ana/c.sqlite3", "a network filesystem (9p)"),
    ],
)
def test_linux_mounts(path: str, reason: str | None) -> None:
    assert ns.posix_network_reason(path, ns.parse_proc_mounts(PROC_MOUNTS)) == reason


def test_a_later_mount_hides_an_earlier_one_on_the_same_point() -> None:
    mounts = [("/", "ext4"), ("/srv", "nfs"), ("/srv", "ext4")]
    assert ns.fs_type_of("/srv/c.sqlite3", mounts) == "ext4"
    assert ns.fs_type_of("/srv/c.sqlite3", mounts[:2]) == "nfs"
    assert ns.fs_type_of("relative", []) is None


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/Users/ana/clinic.sqlite3", None),
        ("/Volumes/Clinic/clinic.sqlite3", "a network filesystem (smbfs)"),
        ("/Volumes/nfs share/c.sqlite3", "a network filesystem (nfs)"),
        ("/Volumes/Old/c.sqlite3", "a network filesystem (afpfs)"),
    ],
)
def test_macos_mount_output(path: str, reason: str | None) -> None:
    assert ns.posix_network_reason(path, ns.parse_bsd_mount_output(MACOS_MOUNT)) == reason


@pytest.mark.parametrize(
    ("fs_type", "network"),
    [
        ("nfs", True), ("NFS4", True), ("nfs3", True), ("cifs", True), ("smb3", True),
        ("smbfs", True), ("afpfs", True), ("fuse.sshfs", True), ("sshfs", True), ("9p", True),
        ("ceph", True), ("glusterfs", True), ("fuse.rclone", True), ("davfs", True),
        ("ext4", False), ("xfs", False), ("btrfs", False), ("apfs", False), ("tmpfs", False),
        ("overlay", False), ("zfs", False), ("fuse.gvfsd-fuse", False), ("ntfs", False),
    ],
)  # fmt: skip
def test_network_filesystem_types(fs_type: str, network: bool) -> None:
    assert ns.is_network_fs_type(fs_type) is network


@pytest.mark.parametrize(
    ("path", "unc"),
    [
        ("\\\\server\\share\\clinic.sqlite3", True),
        ("//server/share/clinic.sqlite3", True),
        ("\\\\?\\UNC\\server\\share\\clinic.sqlite3", True),
        ("\\\\?\\C:\\data\\clinic.sqlite3", False),
        ("\\\\.\\C:\\data\\clinic.sqlite3", False),
        ("C:\\data\\clinic.sqlite3", False),
        ("\\data\\clinic.sqlite3", False),
        ("\\\\", False),
    ],
)
def test_unc_paths(path: str, unc: bool) -> None:
    assert ns.is_unc_path(path) is unc


def test_windows_mapped_network_drive() -> None:
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return ns.DRIVE_REMOTE if root == "Z:\\" else 3  # DRIVE_FIXED

    assert ns.windows_network_reason("Z:\\clinic\\c.sqlite3", drive_type) == (
        "the mapped network drive Z:"
    )
    assert ns.windows_network_reason("z:\\c.sqlite3", drive_type) == ("the mapped network drive Z:")
    assert ns.windows_network_reason("C:\\clinic\\c.sqlite3", drive_type) is None
    assert ns.windows_network_reason("\\\\nas\\c\\c.sqlite3", drive_type) == (
        "a network (UNC) path"
    )
    assert asked == ["Z:\\", "Z:\\", "C:\\"]


def test_the_override_allows_a_share(tmp_path: Path) -> None:
    share = "\\\\nas\\clinic\\clinic.sqlite3"
    assert ns.network_share_reason(Path(share), environ={}, platform="win32") == (
        "a network (UNC) path"
    )
    allowed = {ns.ALLOW_ENV: "1"}
    assert ns.network_share_reason(Path(share), environ=allowed, platform="win32") is None


def test_this_computers_temporary_folder_is_local(tmp_path: Path) -> None:
    # The test machines keep their temporary files on a local disk; the real mount table
    # is read and the folder found in it.
    assert ns.fs_type_of(str(tmp_path.resolve()), ns._system_mounts()) is not None
    assert ns.network_share_reason(tmp_path / "c.sqlite3", environ={}) is None
