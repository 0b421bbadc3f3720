"""Bar geometry for the report's inline SVG charts (no chart library)."""

ROW, LABEL, WIDTH = 26, 110, 480


def bars(items: list[tuple[str, int, int | None]]) -> dict:
    """Lay out horizontal bar pairs: items are (label, first value, optional second value)."""
    top = max([max(a, b or 0) for _, a, b in items] + [1])
    span = WIDTH - LABEL - 40
    laid = []
    for i, (label, first, second) in enumerate(items):
        y = i * ROW * (2 if second is not None else 1)
        laid.append({"label": label, "y": y, "first": first, "second": second,
                     "w1": round(span * first / top, 1),
                     "w2": round(span * (second or 0) / top, 1) if second is not None else None})
    per = ROW * (2 if items and items[0][2] is not None else 1)
    return {"rows": laid, "height": max(len(items) * per, ROW), "label_w": LABEL, "width": WIDTH, "row": ROW}
