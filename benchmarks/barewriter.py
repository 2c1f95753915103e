"""The bare writer: XlsxWriter alone writing the assessment export's cells, for the benchmark's ratio.

The export's goal is set against the writer library itself: the export may take at most 1.3× the
time XlsxWriter takes to write the same cells with the same formats. Two steps, each in a process
of its own (`benchmarks/measure.py`):

1. ``record(log)`` taps XlsxWriter while the export runs once more (not the timed run): the
   workbook's options, every format (its properties), every sheet, and every cell, row and column
   call in order, with the formats replaced by their index; the log is pickled when the workbook
   closes.
2. ``python -m benchmarks.barewriter LOG OUT.xlsx`` replays the log with XlsxWriter alone — no
   Django, no database, no query — and prints the seconds from opening the workbook to closing it
   (reading the log is not counted), as JSON.

The replay writes the same number of cells of each kind, with the same values and formats, in the
same order (the workbook's ``constant_memory`` mode needs it), so the difference between the two
figures is the export's own work: reading the records, computing, and choosing the formats.
"""

from __future__ import annotations

import json
import pickle
import sys
import time

# The worksheet calls that write cells or size rows and columns (print settings cost nothing).
CALLS = (
    "write_string",
    "write_number",
    "write_blank",
    "write_datetime",
    "write_formula",
    "write_rich_string",
    "merge_range",
    "set_row",
    "set_column",
)


def record(log_path: str) -> None:
    """Tap XlsxWriter in this process: the next workbook closed writes its log to `log_path`."""
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    log: list[tuple] = []
    formats: dict[int, tuple] = {}
    sheets: dict[int, int] = {}
    state = {"in_init": False}

    def ref(value):
        return ("__format__", *formats[id(value)]) if isinstance(value, Format) else value

    original_init = Workbook.__init__

    def init(self, filename=None, options=None):
        log.append(("workbook", dict(options or {})))
        state["in_init"] = True
        try:
            original_init(self, filename, options)
        finally:
            state["in_init"] = False

    original_add_format = Workbook.add_format

    def add_format(self, properties=None):
        made = original_add_format(self, properties)
        if state["in_init"]:
            formats[id(made)] = ("default", len(self.formats) - 1)  # the workbook's own, made again
        else:
            formats[id(made)] = ("added", sum(1 for entry in log if entry[0] == "format"))
            log.append(("format", dict(properties or {})))
        return made

    original_add_worksheet = Workbook.add_worksheet

    def add_worksheet(self, name=None, worksheet_class=None):
        sheet = original_add_worksheet(self, name, worksheet_class)
        sheets[id(sheet)] = len(sheets)
        log.append(("sheet", name))
        return sheet

    def tapped(method_name):
        original = getattr(Worksheet, method_name)

        def call(self, *args, **kwargs):
            log.append(
                (
                    "call",
                    sheets.get(id(self), 0),
                    method_name,
                    tuple(ref(a) for a in args),
                    {k: ref(v) for k, v in kwargs.items()},
                )
            )
            return original(self, *args, **kwargs)

        return call

    original_close = Workbook.close

    def close(self):
        result = original_close(self)
        with open(log_path, "wb") as handle:
            pickle.dump(log, handle, protocol=pickle.HIGHEST_PROTOCOL)
        return result

    Workbook.__init__ = init
    Workbook.add_format = add_format
    Workbook.add_worksheet = add_worksheet
    Workbook.close = close
    for name in CALLS:
        setattr(Worksheet, name, tapped(name))


def replay(log_path: str, out_path: str) -> dict:
    """Write the logged workbook with XlsxWriter alone; seconds from opening to closing it."""
    import xlsxwriter

    with open(log_path, "rb") as handle:
        log = pickle.load(handle)
    cells = sum(1 for entry in log if entry[0] == "call" and entry[2].startswith("write_"))
    started = time.perf_counter()
    workbook = None
    added: list = []
    sheets: list = []

    def resolve(value):
        if isinstance(value, tuple) and value and value[0] == "__format__":
            return workbook.formats[value[2]] if value[1] == "default" else added[value[2]]
        return value

    for entry in log:
        kind = entry[0]
        if kind == "workbook":
            workbook = xlsxwriter.Workbook(out_path, entry[1])
        elif kind == "format":
            added.append(workbook.add_format(entry[1]))
        elif kind == "sheet":
            sheets.append(workbook.add_worksheet(entry[1]))
        else:
            _kind, sheet, method, args, kwargs = entry
            getattr(sheets[sheet], method)(
                *(resolve(a) for a in args), **{k: resolve(v) for k, v in kwargs.items()}
            )
    workbook.close()
    return {"seconds": time.perf_counter() - started, "cells": cells, "formats": len(added)}


if __name__ == "__main__":
    print(json.dumps(replay(sys.argv[1], sys.argv[2])))
