"""Charts drawn on the server as inline SVG: no chart library, nothing loaded from elsewhere.

Every chart is an <svg role="img"> with a <title> and a <desc> summing it up for screen readers,
and a <title> per mark so a pointer shows the exact figure.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from questions.web.presenting import question_text

register = template.Library()

HEAT_COLOURS = ("#e8ecf2", "#b7d3f5", "#6fa5e8", "#2f6fc4", "#143f80")
KNOWN_COLOURS = ("#f1f3f6", "#fde2c4", "#f7c77e", "#a8d5a2", "#4f9d57", "#1f6b33")
CELL = 13
GAP = 3
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _svg(*, width: int, height: int, title: str, desc: str, body: SafeString, css: str = "chart"):
    """The chart at its own size, so its labels stay readable; a narrow screen scrolls it
    sideways (the scrolling box takes the focus, so a keyboard can scroll it too)."""
    return format_html(
        '<div class="chart-scroll" tabindex="0" role="group" aria-label="{} (scrolls sideways)">'
        '<svg class="{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="{}-t {}-d" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg></div>',
        title,
        css,
        width,
        height,
        width,
        height,
        _id(title),
        _id(title),
        _id(title),
        title,
        _id(title),
        desc,
        body,
    )


def _id(title: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in title.lower())[:40]


def heat_level(count: int, busiest: int) -> int:
    if count <= 0 or busiest <= 0:
        return 0
    return min(4, 1 + (count * 4 - 1) // busiest)


@register.simple_tag
def review_heatmap(days) -> SafeString:
    """A calendar of reviews per day: one column per week, Monday at the top."""
    if not days:
        return mark_safe("")
    busiest = max(day.count for day in days)
    total = sum(day.count for day in days)
    active = sum(1 for day in days if day.count)
    left, top = 28, 16
    weeks = (len(days) + 6) // 7
    cells = []
    month_labels = []
    last_month = None
    for index, day in enumerate(days):
        week, weekday = divmod(index, 7)
        x = left + week * (CELL + GAP)
        y = top + weekday * (CELL + GAP)
        level = heat_level(day.count, busiest)
        noun = "review" if day.count == 1 else "reviews"
        cells.append(
            (
                x,
                y,
                CELL,
                CELL,
                HEAT_COLOURS[level],
                day.count,
                f"{day.day:%a %-d %b %Y}: {day.count} {noun}",
            )
        )
        if weekday == 0 and day.day.month != last_month:
            last_month = day.day.month
            month_labels.append((x, 11, MONTHS[day.day.month - 1]))
    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}" data-count="{}">'
        "<title>{}</title></rect>",
        cells,
    )
    body += format_html_join("", '<text x="{}" y="{}">{}</text>', month_labels)
    body += format_html_join(
        "",
        '<text x="0" y="{}">{}</text>',
        [
            (top + row * (CELL + GAP) + 10, name)
            for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
        ],
    )
    width = left + weeks * (CELL + GAP)
    height = top + 7 * (CELL + GAP)
    desc = (
        f"{total} reviews on {active} of the last {len(days)} days; the busiest day had {busiest}."
    )
    return _svg(width=width, height=height, title="Reviews per day", desc=desc, body=body)


@register.simple_tag
def forecast_chart(forecast) -> SafeString:
    """Bars of how many cards fall due on each of the next days."""
    if not forecast:
        return mark_safe("")
    left, top, bottom, bar, gap, plot = 30, 10, 22, 14, 4, 120
    busiest = max((day.due for day in forecast), default=0) or 1
    bars = []
    labels = []
    for index, day in enumerate(forecast):
        x = left + index * (bar + gap)
        height = round(plot * day.due / busiest)
        when = "today" if index == 0 else f"{day.day:%a %-d %b}"
        bars.append(
            (x, top + plot - height, bar, max(height, 0), day.due, f"{when}: {day.due} due")
        )
        if index % 7 == 0:
            labels.append((x, top + plot + 15, "Today" if index == 0 else f"{day.day:%-d %b}"))
    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#2f6fc4" data-due="{}"><title>{}</title></rect>',
        bars,
    )
    body += format_html_join("", '<text x="{}" y="{}">{}</text>', labels)
    body += format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#7a8599"/>'
        '<text x="0" y="{}">{}</text><text x="0" y="{}">0</text>',
        left - 2,
        top + plot,
        left + len(forecast) * (bar + gap),
        top + plot,
        top + 9,
        busiest,
        top + plot,
    )
    width = left + len(forecast) * (bar + gap)
    total = sum(day.due for day in forecast)
    desc = (
        f"{total} cards fall due over the next {len(forecast)} days; at most {busiest} on one day."
    )
    return _svg(width=width, height=top + plot + bottom, title="Due forecast", desc=desc, body=body)


@register.simple_tag
def retention_chart(weeks, target: float = 0.9) -> SafeString:
    """True retention per week as a line, against the desired retention."""
    if not weeks:
        return mark_safe("")
    left, top, plot_w, plot_h, bottom = 36, 10, 360, 120, 24
    step = plot_w / max(1, len(weeks) - 1)
    lowest = 0.5

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (max(value, lowest) - lowest) / (1 - lowest))

    points = []
    dots = []
    for index, week in enumerate(weeks):
        if week.retention is None:
            continue
        x = left + index * step
        y = y_of(week.retention)
        points.append(f"{x:.1f},{y:.1f}")
        dots.append(
            (
                f"{x:.1f}",
                f"{y:.1f}",
                f"Week of {week.week_start:%-d %b}: {week.retention:.0%} of {week.reviews} reviews remembered",
            )
        )
    body = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#176b34" stroke-dasharray="4 3"/>'
        '<text x="{}" y="{}">target {}</text>',
        left,
        y_of(target),
        left + plot_w,
        y_of(target),
        left + plot_w - 60,
        y_of(target) - 4,
        f"{target:.0%}",
    )
    body += format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#e1e5ec"/><text x="0" y="{}">{}</text>',
        [
            (left, y_of(v), left + plot_w, y_of(v), y_of(v) + 4, f"{v:.0%}")
            for v in (0.5, 0.75, 1.0)
        ],
    )
    if len(points) > 1:
        body += format_html(
            '<polyline points="{}" fill="none" stroke="#1f5fbf" stroke-width="2.5"/>',
            " ".join(points),
        )
    body += format_html_join(
        "", '<circle cx="{}" cy="{}" r="4" fill="#1f5fbf"><title>{}</title></circle>', dots
    )
    body += format_html_join(
        "",
        '<text x="{}" y="{}">{}</text>',
        [
            (left + i * step - 10, top + plot_h + 16, f"{w.week_start:%-d %b}")
            for i, w in enumerate(weeks)
            if i % 3 == 0
        ],
    )
    measured = [w for w in weeks if w.retention is not None]
    if not measured:
        body += format_html(
            '<text x="{}" y="{}">No due reviews yet</text>',
            left + plot_w / 2 - 50,
            top + plot_h / 2,
        )
    if measured:
        reviews = sum(w.reviews for w in measured)
        passed = sum(w.passed for w in measured)
        desc = (
            f"Over {len(measured)} weeks with reviews, {passed} of {reviews} due reviews "
            f"({passed / reviews:.0%}) were remembered; the target is {target:.0%}."
        )
    else:
        desc = "No due reviews yet: retention shows once cards come back for review."
    return _svg(
        width=left + plot_w + 10,
        height=top + plot_h + bottom,
        title="Retention over time",
        desc=desc,
        body=body,
    )


def _bars(rows: list[dict], *, title: str, desc: str) -> SafeString:
    """Horizontal bars drawn in HTML, one row per dict(label, tooltip, value, bars), where
    bars are (share 0–1, colour, data attribute) from the back to the front.

    Labels are text that wraps on any screen, never cut; each bar is a tiny SVG without text."""
    chart_id = _id(title)
    items = []
    for row in rows:
        rects = format_html_join(
            "",
            '<rect width="{}" height="1" fill="{}"{}/>',
            [
                (f"{max(0.0, min(1.0, share)) * 100:.1f}", colour, data)
                for share, colour, data in row["bars"]
            ],
        )
        items.append(
            format_html(
                '<li class="bar-row" title="{}"><span class="bar-label">{}</span>'
                '<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">'
                '<rect width="100" height="1" fill="#e8ecf2"/>{}</svg>'
                '<span class="bar-value">{}</span></li>',
                row["tooltip"],
                row["label"],
                rects,
                row["value"],
            )
        )
    return format_html(
        '<div class="bar-chart" role="img" aria-labelledby="{}-t {}-d">'
        '<span class="visually-hidden"><span id="{}-t">{}</span> <span id="{}-d">{}</span></span>'
        '<ul class="bar-rows">{}</ul></div>',
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        mark_safe("".join(items)),
    )


@register.simple_tag
def mastery_chart(topics) -> SafeString:
    """Per topic, a bar of the questions studied and, darker, of those mastered."""
    if not topics:
        return mark_safe("")
    rows = [
        {
            "label": item.topic.name,
            "tooltip": f"{item.topic.name}: {item.mastered} of {item.questions} questions "
            f"mastered, {item.studied} studied",
            "value": f"{item.mastered_share:.0%}",
            "bars": [
                (item.studied_share, "#9cc3ee", ""),
                (item.mastered_share, "#176b34", format_html(' data-mastered="{}"', item.mastered)),
            ],
        }
        for item in topics
    ]
    mastered = sum(t.mastered for t in topics)
    total = sum(t.questions for t in topics)
    desc = f"{mastered} of {total} questions mastered across {len(topics)} topics."
    return _bars(rows, title="Mastery per topic", desc=desc)


def known_colour(share: float | None) -> str:
    if share is None or share <= 0:
        return KNOWN_COLOURS[0]
    return KNOWN_COLOURS[min(5, 1 + int(share * 5))]


@register.filter
def known_fill(share: float | None) -> str:
    return known_colour(share)


def _share_bars(rows: list[tuple[str, float, str]], *, title: str, desc: str, colour) -> SafeString:
    """Horizontal bars of shares (0–1), one row per (label, share, tooltip)."""
    return _bars(
        [
            {
                "label": label,
                "tooltip": tooltip,
                "value": f"{share:.0%}",
                "bars": [(share, colour(share), "")],
            }
            for label, share, tooltip in rows
        ],
        title=title,
        desc=desc,
    )


@register.simple_tag
def facility_chart(rows) -> SafeString:
    """The class's hardest questions: the share of answers that were right, lowest first."""
    if not rows:
        return mark_safe("")
    bars = [
        (
            question_text(row.question),
            row.facility or 0.0,
            f"{question_text(row.question)}: {row.facility or 0:.0%} right over {row.attempts} answers",
        )
        for row in rows
    ]
    desc = f"The {len(rows)} hardest questions; the hardest was answered right {bars[0][1]:.0%} of the time."
    return _share_bars(bars, title="Hardest questions", desc=desc, colour=known_colour)


@register.simple_tag
def student_mastery_chart(rows) -> SafeString:
    if not rows:
        return mark_safe("")
    bars = [
        (
            row.user.username,
            row.mastery or 0.0,
            f"{row.user.username}: {row.mastered} questions mastered ({row.mastery or 0:.0%})",
        )
        for row in rows
    ]
    mean = sum(bar[1] for bar in bars) / len(bars)
    desc = f"Mastery of {len(bars)} students; on average {mean:.0%} of the questions."
    return _share_bars(bars, title="Mastery per student", desc=desc, colour=lambda _: "#176b34")
