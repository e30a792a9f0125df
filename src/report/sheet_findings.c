/*
 * sheet_findings.c: the Findings sheet: every finding with its severity,
 * code, place and message.
 *
 * See sheet_common.h for what every sheet writer shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/changes.h"
#include "grantrec/rules.h"
#include "base/util.h"
#include "report/xlsx_writer.h"
#include "report/sheet_common.h"

/* ---- Findings ----------------------------------------------------------------------- */

static const char *severity_name(enum gr_severity s)
{
	return s == GR_SEV_ERROR ? "error" : s == GR_SEV_WARNING ? "warning"
	                                                          : "note";
}

/* Finding i: the reconciliation's, then the donor's rules'. */
static const struct gr_finding *finding_at(const struct xw *w, size_t i)
{
	const struct gr_recon *r = w->r;
	return i < r->finding_count ? &r->findings[i]
	                            : &w->rules->findings[i - r->finding_count];
}

void xw_sheet_findings(struct xw *w)
{
	const struct gr_recon *r = w->r;
	size_t count = r->finding_count + (w->rules ? w->rules->finding_count : 0);
	lxw_worksheet *ws = w->findings;
	static const char *const head[] = {
		"Severity", "Code", "File", "Line", "Message",
	};
	static const bool num[] = {false, false, false, true, false};
	xw_header_row(w, ws, 0, head, 5, num);
	/* Room for every finding, keeping the last rows for the notes. */
	const lxw_row_t limit = LXW_ROW_MAX - 1 - XW_NOTES_ROWS;
	lxw_row_t row = 1;
	size_t shown = 0;
	for (size_t i = 0; i < count && row < limit; i++, row++) {
		const struct gr_finding *f = finding_at(w, i);
		xw_text(w, ws, row, 0, severity_name(f->severity), NULL, NULL, 0,
		        "severity");
		xw_text(w, ws, row, 1, f->code, NULL, NULL, 0, "code");
		if (f->file)
			xw_text(w, ws, row, 2, xw_input_name(w, f->file), NULL, NULL, 0,
			        "file");
		if (f->line > 0)
			xw_number(w, ws, row, 3, (double)f->line, w->integer);
		xw_text(w, ws, row, 4, f->message, w->wrap, NULL, 0, "message");
		xw_fit_row(w, ws, row, f->message, 120);
		shown++;
	}
	char text[160];
	if (shown < count) {
		snprintf(text, sizeof(text), "%zu more findings do not fit on this "
		         "sheet: see the JSON output (grantrec reconcile --json)",
		         count - shown);
		xw_text(w, ws, row++, 4, text, w->bold, NULL, 0, "message");
	}
	if (count == 0)
		xw_text(w, ws, row++, 4, "No findings.", NULL, NULL, 0, "message");
	/* The writer's own notes, including those about the messages above
	 * (the list is capped, so this ends). */
	for (size_t i = 0; i < w->note_count; i++, row++) {
		const struct xw_note *n = &w->notes[i];
		xw_text(w, ws, row, 0, "note", NULL, NULL, 0, "severity");
		xw_text(w, ws, row, 1, "workbook-text", NULL, NULL, 0, "code");
		if (n->file)
			xw_text(w, ws, row, 2, xw_input_name(w, n->file), NULL, NULL, 0,
			        "file");
		if (n->line > 0)
			xw_number(w, ws, row, 3, (double)n->line, w->integer);
		xw_text(w, ws, row, 4, n->message, w->wrap, NULL, 0, "message");
		xw_fit_row(w, ws, row, n->message, 120);
	}
	if (w->notes_dropped) {
		snprintf(text, sizeof(text), "%zu more texts were changed for the "
		         "workbook: see the Note column of the Ledger",
		         w->notes_dropped);
		xw_text(w, ws, row++, 4, text, NULL, NULL, 0, "message");
	}
	worksheet_set_column(ws, 0, 0, 9, NULL);
	worksheet_set_column(ws, 1, 1, 22, NULL);
	worksheet_set_column(ws, 2, 2, 26, NULL);
	worksheet_set_column(ws, 3, 3, 7, NULL);
	worksheet_set_column(ws, 4, 4, 120, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, row > 1 ? row - 1 : 1, 4);
	xw_print_setup(ws, 0);
}
