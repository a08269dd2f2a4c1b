import sys

import pytest
import scipy.ndimage

from engine import memory

MAPS = """\
7f0000000000-7f0000100000 r--p 00000000 08:01 11 /usr/lib/python3/site-packages/tensorflow/libtensorflow_cc.so.2
7f0000100000-7f0000300000 r-xp 00100000 08:01 11 /usr/lib/python3/site-packages/tensorflow/libtensorflow_cc.so.2
7f0000300000-7f0000310000 rw-p 00300000 08:01 11 /usr/lib/python3/site-packages/tensorflow/libtensorflow_cc.so.2
7f0000400000-7f0000500000 r-xp 00000000 08:01 12 /usr/lib/x86_64-linux-gnu/libc.so.6
7f0000600000-7f0000700000 r--p 00000000 08:01 13 /usr/share/fonts/noto.ttf
7f0000700000-7f0000800000 rw-p 00000000 00:00 0 [heap]
7f0000800000-7f0000900000 r--p 00000000 00:00 0
"""


def test_only_read_only_shared_library_mappings_are_chosen():
    chosen = list(memory._library_mappings(MAPS))
    assert chosen == [(0x7F0000000000, 0x100000), (0x7F0000100000, 0x200000), (0x7F0000400000, 0x100000)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="MADV_PAGEOUT is Linux-only")
def test_release_shrinks_the_resident_set_and_the_libraries_still_work(monkeypatch, tmp_path):
    """A 64 MB read-only mapping of a '.so' that only this process maps (pages that other processes also map,
    such as a test server's TensorFlow, are left alone by the kernel) leaves the resident set."""
    import mmap
    monkeypatch.setenv(memory.ENV_SWITCH, "1")
    library = tmp_path / "libconvlab_probe.so"
    library.write_bytes(bytes(range(256)) * (64 * 2**20 // 256))
    with open(library, "rb") as f, mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ) as mapped:
        assert sum(mapped[i + 1] for i in range(0, len(mapped), 4096)) > 0  # touch every page
        before = memory.resident_mb()
        advised = memory.release_library_pages()
        if advised == 0:
            pytest.skip("this kernel does not offer MADV_PAGEOUT")
        after = memory.resident_mb()
        assert after["rss"] < before["rss"] - 32, (before, after)
        assert abs(after["anonymous"] - before["anonymous"]) < 20  # only file-backed pages leave
        assert mapped[4096 * 100 + 7] == 7  # and come back when read
    assert scipy.ndimage.correlate([[1.0, 2.0], [3.0, 4.0]], [[1.0]]).tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_off_unless_switched_on(monkeypatch):
    monkeypatch.delenv(memory.ENV_SWITCH, raising=False)
    assert memory.release_library_pages() == 0  # off by default: bench/memory.py found it does not pay
    monkeypatch.setenv(memory.ENV_SWITCH, "0")
    assert memory.release_library_pages() == 0


def test_resident_mb_of_a_missing_process_is_empty():
    assert memory.resident_mb(pid=2**22 + 12345) == {}
