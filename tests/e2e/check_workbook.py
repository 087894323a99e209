#!/usr/bin/env python3
"""Describe an XLSX (openpyxl) or ODS (odfpy) file as JSON, read by libraries that are not ours.

Usage: check_workbook.py FILE

Prints {"format": "xlsx"|"ods", "sheets": [...]} where each sheet has:
  name, visible (bool), freeze ("A2" when the first row is frozen, else null),
  headers: [{"value", "bold", "italic"}] for row 1,
  widths: {"A": width in characters (XLSX) or points (ODS)},
  validations: [{"type", "source", "sqref", "error_style", "prompt_title", "prompt"}],
  rows: [[{"value", "type"}]] for the first 50 rows (type: "s" text, "n" number, "f" formula, …),
  text_format: {"A": true} when the column's default cell format is text ("@").
Sésame's tests (crates/sheet/tests/write.rs) run it on the files the writer makes.
"""
import json
import sys

ROWS_SHOWN = 50


def xlsx(path):
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        headers = [
            {"value": c.value, "bold": bool(c.font.b), "italic": bool(c.font.i)}
            for c in next(ws.iter_rows(min_row=1, max_row=1), ())
        ]
        rows = []
        for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, ROWS_SHOWN)):
            rows.append([
                {"value": c.value, "type": c.data_type, "quote_prefix": bool(c.quotePrefix)}
                for c in row
            ])
        widths, text_format = {}, {}
        for d in ws.column_dimensions.values():
            # One <col> element covers min..max; openpyxl keys it by its first letter.
            for i in range(d.min or 1, (d.max or d.min or 1) + 1):
                if d.customWidth:
                    widths[get_column_letter(i)] = d.width
                if d.number_format == "@":
                    text_format[get_column_letter(i)] = True
        validations = [
            {
                "type": dv.type,
                "source": dv.formula1,
                "sqref": str(dv.sqref),
                "error_style": dv.errorStyle or "stop",
                "prompt_title": dv.promptTitle,
                "prompt": dv.prompt,
            }
            for dv in ws.data_validations.dataValidation
        ]
        sheets.append({
            "name": ws.title,
            "visible": ws.sheet_state == "visible",
            "freeze": ws.freeze_panes,
            "headers": headers,
            "widths": widths,
            "text_format": text_format,
            "validations": validations,
            "rows": rows,
        })
    return {"format": "xlsx", "sheets": sheets}


def ods(path):
    from odf import teletype
    from odf.namespaces import CONFIGNS, FONS, OFFICENS, STYLENS, TABLENS
    from odf.opendocument import load
    from openpyxl.utils import get_column_letter

    doc = load(path)

    def attr(el, ns, name):
        return el.attributes.get((ns, name))

    def children(el, ns, name):
        return [c for c in el.childNodes if getattr(c, "qname", None) == (ns, name)]

    def all_of(root, ns, name):
        """Every descendant element named so, in document order."""
        out = []

        def walk(el):
            for c in el.childNodes:
                if getattr(c, "qname", None) == (ns, name):
                    out.append(c)
                if getattr(c, "childNodes", None):
                    walk(c)

        walk(root)
        return out

    # Styles, automatic ones (content.xml) and named ones (styles.xml).
    styles = {}
    for root in (doc.styles, doc.automaticstyles):
        for st in children(root, STYLENS, "style"):
            props = {}
            for p in st.childNodes:
                for (ns, name), value in p.attributes.items():
                    props[name] = value
            styles[attr(st, STYLENS, "name")] = {
                "parent": attr(st, STYLENS, "parent-style-name"),
                "data_style": attr(st, STYLENS, "data-style-name"),
                "props": props,
            }

    def prop(style_name, name):
        seen = 0
        while style_name and style_name in styles and seen < 20:
            st = styles[style_name]
            if name in st["props"]:
                return st["props"][name]
            style_name, seen = st["parent"], seen + 1
        return None

    text_formats = set()
    for root in (doc.styles, doc.automaticstyles):
        for f in children(root, "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0", "text-style"):
            text_formats.add(attr(f, STYLENS, "name"))

    # Freeze panes from settings.xml: VerticalSplitMode 2 = frozen, at VerticalSplitPosition.
    freeze = {}
    for entry in all_of(doc.settings, CONFIGNS, "config-item-map-entry"):
        name = attr(entry, CONFIGNS, "name")
        items = {
            attr(i, CONFIGNS, "name"): teletype.extractText(i)
            for i in children(entry, CONFIGNS, "config-item")
        }
        if items.get("VerticalSplitMode") == "2":
            freeze[name] = "A%d" % (int(items.get("VerticalSplitPosition", "0")) + 1)

    validations = {}
    for v in all_of(doc.spreadsheet, TABLENS, "content-validation"):
        err = children(v, TABLENS, "error-message")
        help_ = children(v, TABLENS, "help-message")
        validations[attr(v, TABLENS, "name")] = {
            "type": "list",
            "source": attr(v, TABLENS, "condition"),
            "error_style": attr(err[0], TABLENS, "message-type") if err else "stop",
            "prompt_title": attr(help_[0], TABLENS, "title") if help_ else None,
            "prompt": teletype.extractText(help_[0]) if help_ else None,
            "cells": {},
        }

    sheets = []
    for table in children(doc.spreadsheet, TABLENS, "table"):
        name = attr(table, TABLENS, "name")
        table_style = attr(table, TABLENS, "style-name")
        visible = prop(table_style, "display") != "false"
        widths, text_format, col_styles = {}, {}, []
        for col in all_of(table, TABLENS, "table-column"):
            n = int(attr(col, TABLENS, "number-columns-repeated") or 1)
            for _ in range(n):
                col_styles.append(attr(col, TABLENS, "default-cell-style-name"))
                letter = get_column_letter(len(col_styles))
                w = prop(attr(col, TABLENS, "style-name"), "column-width")
                if w and len(col_styles) <= 200:
                    widths[letter] = w
                dcs = col_styles[-1]
                if dcs and styles.get(dcs, {}).get("data_style") in text_formats:
                    text_format[letter] = True
        rows, headers, r = [], [], 0
        for row in all_of(table, TABLENS, "table-row"):
            rrep = int(attr(row, TABLENS, "number-rows-repeated") or 1)
            cells, c = [], 0
            for cell in children(row, TABLENS, "table-cell"):
                crep = int(attr(cell, TABLENS, "number-columns-repeated") or 1)
                style = attr(cell, TABLENS, "style-name") or (
                    col_styles[c] if c < len(col_styles) else None)
                kind = attr(cell, OFFICENS, "value-type")
                value = teletype.extractText(cell) if kind else None
                vname = attr(cell, TABLENS, "content-validation-name")
                for i in range(crep):
                    if vname:
                        letter = get_column_letter(c + i + 1)
                        span = validations[vname]["cells"].setdefault(letter, [r + 1, r + rrep, 0])
                        span[0] = min(span[0], r + 1)
                        span[1] = max(span[1], r + rrep)
                        span[2] += rrep
                    if c + i < 1024:
                        cells.append({
                            "value": value,
                            "type": "f" if attr(cell, TABLENS, "formula") else
                                    {"string": "s", "float": "n"}.get(kind, kind),
                            "bold": prop(style, "font-weight") == "bold",
                            "italic": prop(style, "font-style") == "italic",
                        })
                c += crep
            while cells and cells[-1]["value"] is None:
                cells.pop()
            if r == 0:
                headers = [{"value": x["value"], "bold": x["bold"], "italic": x["italic"]} for x in cells]
            if r < ROWS_SHOWN:
                rows.append([{"value": x["value"], "type": x["type"]} for x in cells])
            r += rrep
        while rows and not rows[-1]:
            rows.pop()
        sheets.append({
            "name": name,
            "visible": visible,
            "freeze": freeze.get(name),
            "headers": headers,
            "widths": widths,
            "text_format": text_format,
            "validations": [],
            "rows": rows,
        })
    # A validation belongs to the sheet whose cells use it.
    for table, sheet in zip(children(doc.spreadsheet, TABLENS, "table"), sheets):
        used = set()
        for cell in all_of(table, TABLENS, "table-cell"):
            v = attr(cell, TABLENS, "content-validation-name")
            if v:
                used.add(v)
        for v in sorted(used):
            d = dict(validations[v])
            d["sqref"] = " ".join(
                "%s%d:%s%d" % (col, a, col, b) for col, (a, b, _) in sorted(d["cells"].items()))
            d["count"] = {col: n for col, (_, _, n) in d.pop("cells").items()}
            sheet["validations"].append(d)
    return {"format": "ods", "sheets": sheets}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    with open(path, "rb") as f:
        magic = f.read(4096)
    if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in magic:
        out = ods(path)
    else:
        out = xlsx(path)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
