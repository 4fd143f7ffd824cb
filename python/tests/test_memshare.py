"""Tests of the installed package against a real tmpfs directory (MEMSHARE_DIR, else a fresh one in /dev/shm)."""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import unittest.mock

import numpy

import memshare as ms


class PackageTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="memshare-pytest-", dir="/dev/shm")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def cli(self, *args):
        run = subprocess.run([sys.executable, "-m", "memshare", *args, "--dir", self.dir], capture_output=True,
                             text=True, timeout=60)
        return run.returncode, run.stdout, run.stderr

    def test_register_attach_columns_release(self):
        data = numpy.arange(12.0).reshape(4, 3)
        page = ms.register("t", "X", data, columns=["a", "b", "c"], directory=self.dir)
        x = ms.attach("t", "X", directory=self.dir)
        self.assertTrue(numpy.array_equal(x, data))
        self.assertEqual(x.columns, ["a", "b", "c"])
        self.assertEqual(x.column("b").tolist(), [1.0, 4.0, 7.0, 10.0])
        self.assertFalse(x.flags.writeable)
        self.assertIsNone(x.sum(axis=0).columns, "derived arrays carry no names")
        w = ms.attach("t", "X", writable=True, directory=self.dir)
        w[0, 0] = 42.0
        self.assertEqual(x[0, 0], 42.0, "the same memory")
        ms.release("t", "X")
        self.assertTrue(page.released)
        with self.assertRaises(ms.NotRegisteredError):
            ms.attach("t", "X", directory=self.dir)

    def test_bad_columns_are_refused_and_leave_nothing(self):
        for columns in (["a"], ["a", "a"], ["a", ""], ["a", "x" * 1025]):
            with self.assertRaises(ValueError):
                ms.register("t", "Y", numpy.ones((2, 2)), columns=columns, directory=self.dir)
        with self.assertRaises(ValueError):
            ms.register("t", "v", numpy.ones(3), columns=["a", "b", "c"], directory=self.dir)
        self.assertEqual(os.listdir(self.dir), [])

    def test_a_signal_after_the_file_is_complete_but_before_its_page_is_kept_leaves_nothing_at_exit(self):
        # SIGTERM's handler raises SystemExit wherever Python checks for signals: here, as the finished
        # registration builds its Page, past the clauses that undo a failed registration.
        def signalled(*args):
            raise SystemExit(128 + 15)
        with unittest.mock.patch.object(ms, "Page", signalled):
            with self.assertRaises(SystemExit):
                ms.register("t", "S", numpy.ones(4), directory=self.dir)
        self.assertEqual(os.listdir(self.dir), ["memshare.t.S"])
        ms._release_all_at_exit()
        self.assertEqual(os.listdir(self.dir), [])

    def test_list_and_show_use_the_java_field_names(self):
        ms.register("t", "M", numpy.ones((2, 2), dtype="<i4"), columns=["p", "q"], directory=self.dir)
        entries = ms.list("t", directory=self.dir)
        self.assertEqual(list(entries[0]), ["namespace", "name", "kind", "type", "shape", "bytes", "owner_pid",
                                            "owner_alive", "layout", "state", "store"])
        self.assertEqual((entries[0]["name"], entries[0]["type"], entries[0]["shape"]), ("M", "int", [2, 2]))
        code, out, err = self.cli("show", "t", "M", "--json")
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out), {"kind": "matrix", "type": "int", "shape": [2, 2], "bytes": 16, "sum": 4.0,
                                           "min": 1.0, "max": 1.0, "store": ms.store(), "columns": ["p", "q"]})
        code, out, err = self.cli("ls", "--json")
        self.assertEqual((code, json.loads(out)[0]["name"]), (0, "M"))

    def test_gc_reclaims_the_segment_of_a_dead_owner_only(self):
        script = ("import os, sys, numpy, memshare as ms; "
                  "ms.register('t', 'orphan', numpy.ones(3), directory=sys.argv[1]); os._exit(0)")
        subprocess.run([sys.executable, "-c", script, self.dir], check=True, timeout=60)
        ms.register("t", "alive", numpy.ones(3), directory=self.dir)
        self.assertEqual([e["name"] for e in ms.gc(self.dir, dry_run=True)], ["orphan"])
        code, out, err = self.cli("gc", "--json")
        self.assertEqual(code, 0, err)
        self.assertEqual([e["name"] for e in json.loads(out)], ["orphan"])
        self.assertEqual([e["name"] for e in ms.list(directory=self.dir)], ["alive"])

    def registrant_killed(self, name, at):
        """A registrant SIGKILLed by itself at ``at``: the first call after the exclusive create."""
        script = ("import os, signal, sys, numpy, memshare as ms\n"
                  "def die(*args): os.kill(os.getpid(), signal.SIGKILL)\n"
                  "%s = die\n"
                  "ms.register('t', %r, numpy.ones(100000), directory=sys.argv[1])\n" % (at, name))
        run = subprocess.run([sys.executable, "-c", script, self.dir], timeout=60)
        self.assertEqual(run.returncode, -9, "killed by SIGKILL")
        return os.path.join(self.dir, ms.segment_name("t", name))

    def headerless(self, name, size, age):
        path = os.path.join(self.dir, ms.segment_name("t", name))
        with open(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            f.write(bytes(size))
        os.utime(path, (time.time() - age, time.time() - age))
        return path

    def test_a_registrant_killed_before_its_header_leaves_a_file_gc_reclaims_after_the_grace(self):
        path = self.registrant_killed("empty", "os.pwrite")
        self.assertEqual(os.stat(path).st_size, 0)
        [entry] = ms.list(directory=self.dir)
        self.assertEqual((entry["state"], entry["owner_pid"], entry["owner_alive"]), ("incomplete", 0, None))
        self.assertTrue(entry["reason"].startswith("no header yet: 0 bytes"), entry["reason"])
        self.assertEqual(ms.gc(self.dir), [], "younger than the grace: kept")
        self.assertTrue(os.path.exists(path))
        with self.assertRaises(ms.AlreadyRegisteredError):
            ms.register("t", "empty", numpy.ones(3), directory=self.dir)
        old = time.time() - 4 * ms.INCOMPLETE_GRACE_SECONDS
        os.utime(path, (old, old))
        code, out, err = self.cli("gc", "--json")
        self.assertEqual(code, 0, err)
        self.assertEqual([(e["name"], e["state"]) for e in json.loads(out)], [("empty", "incomplete")])
        self.assertFalse(os.path.exists(path))
        ms.register("t", "empty", numpy.ones(3), directory=self.dir)
        ms.release("t", "empty")

    def test_a_registrant_killed_while_reserving_leaves_a_pending_orphan_of_its_own(self):
        path = self.registrant_killed("reserving", "ms._reserve")
        [entry] = ms.list(directory=self.dir)
        self.assertEqual((entry["state"], entry["owner_alive"]), ("pending", False), "the header came first")
        self.assertNotEqual(entry["owner_pid"], 0)
        self.assertEqual([e["name"] for e in ms.gc(self.dir)], ["reserving"])
        self.assertFalse(os.path.exists(path))

    def test_gc_reclaims_old_empty_and_short_files_and_keeps_young_ones(self):
        self.headerless("empty", 0, 60)
        self.headerless("short", 3, 60)
        young = self.headerless("young", 0, 0)
        self.assertEqual([(e["name"], e["bytes"]) for e in ms.gc(self.dir, dry_run=True)], [("empty", 0), ("short", 3)])
        reclaimed, skipped = ms.gc_report(self.dir)
        self.assertEqual([e["name"] for e in reclaimed], ["empty", "short"])
        self.assertEqual([(e["name"], own) for e, _, own in skipped], [("young", False)])
        self.assertEqual(os.listdir(self.dir), [os.path.basename(young)])

    def test_gc_keeps_a_headerless_file_that_gets_its_header_after_the_listing(self):
        path = self.headerless("late", 0, 60)
        census = ms._census

        def listed_then_written(*args):
            entries = census(*args)
            # The registrant, merely slow, writes its pending header now (a live owner: this process).
            with open(path, "r+b") as f:
                f.write(ms.MAGIC_PENDING + bytes(ms.HEADER_BYTES - 8))
                f.seek(ms.OWNER_PID_OFFSET)
                f.write(struct.pack("<qq", os.getpid(), ms._start_ticks(os.getpid())))
            os.utime(path, (time.time() - 60, time.time() - 60))
            return entries

        # The real census, with the registrant's write placed right after it: the moment of the race.
        ms._census = listed_then_written
        self.addCleanup(setattr, ms, "_census", census)
        self.assertEqual(ms.gc(self.dir), [])
        self.assertTrue(os.path.exists(path))
        self.assertEqual([e["state"] for e in ms.list(directory=self.dir)], ["pending"])

    def test_exit_codes_are_the_java_command_lines(self):
        self.assertEqual(self.cli("show", "t", "missing")[0], 1, "a failure")
        self.assertEqual(self.cli("show", "t")[0], 2, "a usage error")
        self.assertEqual(self.cli("frobnicate")[0], 2)
        self.assertEqual(self.cli("show", "../t", "x")[0], 2, "an invalid name is a usage error")


if __name__ == "__main__":
    unittest.main()
