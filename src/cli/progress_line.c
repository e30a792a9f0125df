#include "progress_line.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "grantrec/progress.h"

/* Below this, a run is over before a person wonders. */
#define SHOW_AFTER 1.0
#define REDRAW_EVERY 0.2

static struct {
	double started, drawn_at;
	const char *stage;
	int shown_pct;
	size_t width;         /* of the line on screen, 0 when none */
	bool immediate;       /* GRANTREC_PROGRESS=1 */
} line;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw(void *ctx, const char *stage, uint64_t done, uint64_t total)
{
	(void)ctx;
	double t = now();
	int pct = total ? (int)(done * 100 / total) : -1;
	bool news = stage != line.stage || pct != line.shown_pct;
	if (!news || (!line.immediate && t - line.started < SHOW_AFTER))
		return;
	if (stage == line.stage && t - line.drawn_at < REDRAW_EVERY)
		return;
	char text[120];
	int n = pct >= 0
		? snprintf(text, sizeof(text), "grantrec: %s %d%% (%.0f s)", stage,
		           pct, t - line.started)
		: snprintf(text, sizeof(text), "grantrec: %s... (%.0f s)", stage,
		           t - line.started);
	size_t len = n > 0 ? (size_t)n : 0;
	if (len >= sizeof(text))
		len = sizeof(text) - 1;
	/* Spaces, not terminal codes, wipe what a longer line left. */
	fprintf(stderr, "\r%s%*s", text,
	        line.width > len ? (int)(line.width - len) : 0, "");
	fflush(stderr);
	line.width = len > line.width ? len : line.width;
	line.stage = stage;
	line.shown_pct = pct;
	line.drawn_at = t;
}

void progress_line_start(bool quiet)
{
	const char *force = getenv("GRANTREC_PROGRESS");
	const char *ci = getenv("CI");
	bool show;
	if (force && strcmp(force, "1") == 0)
		show = line.immediate = true;
	else if (force && strcmp(force, "0") == 0)
		show = false;
	else
		show = !quiet && isatty(STDERR_FILENO) && !(ci && *ci);
	if (!show)
		return;
	line.started = now();
	line.shown_pct = -2;
	gr_progress_set(draw, NULL);
}

void progress_line_clear(void)
{
	if (line.width) {
		fprintf(stderr, "\r%*s\r", (int)line.width, "");
		fflush(stderr);
	}
	line.width = 0;
	line.stage = NULL;
}

void progress_line_stop(void)
{
	progress_line_clear();
	gr_progress_set(NULL, NULL);
}
