/*
 * xlsx_ledger.c: the Ledger sheet(s) (one row per input line). The FX
 * sheet it refers to is written by xlsx_fx.c.
 *
 * A Ledger row converts with a formula when the spreadsheet can recompute
 * the exact figure: ROUND is half away from zero, which is grantrec's
 * half-up rule. Under half-even the converted amount is grantrec's value
 * (the Summary says so); every total over it is still a formula.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xlsx_writer.h"

/* A double has 15 significant decimal digits that always survive: beyond
 * that the spreadsheet cannot redo the arithmetic exactly. */
#define XW_EXACT_DIGITS GR_SPREADSHEET_DIGITS

/* The double of a rate as it is shown on the FX sheet: daily and monthly
 * rates are decimals of at most 12 places, so this is exact to the text; a
 * transfer average is a ratio, given to 17 places (more than a double
 * holds). */
static double rate_double(const struct gr_rate *rate)
{
	return xw_rational(rate->value,
	                   rate->method == GR_FX_TRANSFER_AVERAGE ? 17 : 12);
}

/* ---- Ledger ------------------------------------------------------------------- */

/* Labels of the ledger, cleaned once per distinct text. */
struct label_cache {
	struct xw_clean *clean;
	bool *noted;
	size_t count;
};

static bool cache_init(struct label_cache *c, const struct gr_strset *set)
{
	c->count = set->count;
	c->clean = gr_calloc(set->count, sizeof(*c->clean));
	c->noted = gr_calloc(set->count, sizeof(*c->noted));
	if (!c->clean || !c->noted)
		return false;
	for (size_t i = 0; i < set->count; i++)
		if (!xw_clean_text(&c->clean[i], set->strings[i], XW_CELL_UNITS))
			return false;
	return true;
}

static void cache_release(struct label_cache *c)
{
	if (c->clean)
		for (size_t i = 0; i < c->count; i++)
			xw_clean_release(&c->clean[i]);
	free(c->clean);
	free(c->noted);
}

/* A cached label; the first line that shows a changed one gets the note. */
static void cached_label(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                         lxw_col_t col, struct label_cache *c, uint32_t id,
                         const struct gr_line *line, const char *what,
                         struct xw_buf *note)
{
	const struct xw_clean *cl = &c->clean[id];
	xw_label_text(w, ws, row, col, cl, NULL);
	if (!cl->replaced && !cl->cut)
		return;
	xw_buf_addf(note, "%s%s text changed for the workbook", note->len ? "; " : "",
	            what);
	if (!c->noted[id]) {
		c->noted[id] = true;
		if (cl->replaced)
			xw_add_note(w, line->source->path, line->line,
			            "%s: %zu character%s not allowed in a workbook "
			            "replaced by a visible symbol (first line with it)",
			            what, cl->replaced, cl->replaced == 1 ? "" : "s");
		if (cl->cut)
			xw_add_note(w, line->source->path, line->line,
			            "%s: cut from %zu to %d characters (first line with "
			            "it)", what, cl->units, XW_CELL_UNITS);
	}
}

static void ledger_header(struct xw *w, lxw_worksheet *ws)
{
	static const char *const head[LC_COUNT] = {
		"Member", "Source file", "Source line", "Voucher", "Date", "Country",
		"Budget line", "Description", "Amount", "Currency", "Rate",
		"Converted", "Counted", "Note",
	};
	char text[64];
	for (size_t c = 0; c < LC_COUNT; c++) {
		bool num = c == LC_AMOUNT || c == LC_RATE || c == LC_CONVERTED ||
		           c == LC_LINE;
		xw_text(w, ws, 0, (lxw_col_t)c, head[c],
		        num ? w->header_num : w->header, NULL, 0, "header");
	}
	snprintf(text, sizeof(text), "Converted (%s)", xw_currency(w));
	xw_text(w, ws, 0, LC_CONVERTED, text, w->header_num, NULL, 0, "header");
	worksheet_set_row(ws, 0, 30, NULL);
	worksheet_set_column(ws, LC_MEMBER, LC_MEMBER, 8, NULL);
	worksheet_set_column(ws, LC_FILE, LC_FILE, 12, NULL);
	worksheet_set_column(ws, LC_LINE, LC_LINE, 7, NULL);
	worksheet_set_column(ws, LC_VOUCHER, LC_VOUCHER, 15, NULL);
	worksheet_set_column(ws, LC_DATE, LC_DATE, 11, NULL);
	worksheet_set_column(ws, LC_COUNTRY, LC_COUNTRY, 14, NULL);
	worksheet_set_column(ws, LC_BUDGET_LINE, LC_BUDGET_LINE, 24, NULL);
	worksheet_set_column(ws, LC_DESCRIPTION, LC_DESCRIPTION, 40, NULL);
	worksheet_set_column(ws, LC_AMOUNT, LC_AMOUNT, 15, NULL);
	worksheet_set_column(ws, LC_CURRENCY, LC_CURRENCY, 8, NULL);
	worksheet_set_column(ws, LC_RATE, LC_RATE, 18, NULL);
	worksheet_set_column(ws, LC_CONVERTED, LC_CONVERTED, 14, NULL);
	worksheet_set_column(ws, LC_COUNTED, LC_COUNTED, 8, NULL);
	worksheet_set_column(ws, LC_NOTE, LC_NOTE, 40, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);          /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
	worksheet_set_footer(ws, "&L&A&R&P / &N");
}

/* The converted amount: a formula when the spreadsheet can recompute the
 * exact figure, else grantrec's value with the reason in `note`. */
static void converted_cell(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                           const struct gr_line *line,
                           const struct gr_converted *c, struct xw_buf *note)
{
	const struct gr_grant *g = w->r->grant;
	const struct gr_fx *fx = w->r->fx;
	unsigned R = row + 1;
	char a[8], k[8], eur[8], local[8];
	xw_col(a, LC_AMOUNT);
	xw_col(k, LC_RATE);
	const char *why = NULL;
	xw_buf_reset(&w->f);
	if (gr_dec_significant_digits(&line->amount) > XW_EXACT_DIGITS) {
		why = "amount has more digits than a spreadsheet computes with";
	} else if (c->rate == GR_NO_RATE) {
		if (line->amount.scale <= 2)
			xw_buf_addf(&w->f, "%s%u", a, R);
		else if (g->rounding == GR_ROUND_HALF_UP)
			xw_buf_addf(&w->f, "ROUND(%s%u,2)", a, R);
		else
			why = "half-even rounding";
	} else if (g->rounding != GR_ROUND_HALF_UP) {
		why = "half-even rounding";
	} else if (xw_fx_row_of(w, line->member, c->rate) == 0) {
		why = "rate not on the FX sheet";  /* cannot happen */
	} else {
		const struct gr_rate *rt = &fx->rates[c->rate];
		lxw_row_t fr = xw_fx_row_of(w, line->member, c->rate);
		if (rt->method == GR_FX_TRANSFER_AVERAGE)
			/* amount x sent / received: exact to the transfers. */
			xw_buf_addf(&w->f, "ROUND(%s%u*FX!$%s$%u/FX!$%s$%u,2)", a, R,
			            xw_col(eur, FC_EUR), fr + 1, xw_col(local, FC_LOCAL),
			            fr + 1);
		else
			xw_buf_addf(&w->f, "ROUND(%s%u/%s%u,2)", a, R, k, R);
	}
	if (gr_dec_significant_digits(&line->amount) > XW_EXACT_DIGITS) {
		/* The number in the Amount cell is the nearest double; the exact
		 * amount stays readable beside it, as text. */
		char exact[GR_MONEY_BUF], cents[GR_MONEY_BUF];
		xw_buf_addf(note, "%sexact amount %s, exact converted amount %s",
		            note->len ? "; " : "", gr_dec_str(exact, &line->amount),
		            gr_cents_str(cents, c->cents));
	}
	if (why) {
		xw_money(w, ws, row, LC_CONVERTED, c->cents, w->money);
		xw_buf_addf(note, "%sconverted amount is grantrec's value (%s)",
		            note->len ? "; " : "", why);
	} else {
		xw_formula_cents(w, ws, row, LC_CONVERTED, c->cents, w->money);
	}
}

/* Counted: dated inside the grant period and not after the as-of date
 * (which, unless --as-of was given, is the latest date in the inputs). */
static void counted_cell(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                         bool counted)
{
	char e[8];
	unsigned R = row + 1;
	xw_col(e, LC_DATE);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(AND(%s%u>=GrantStart,%s%u<=GrantEnd,%s%u<=AsOf),"
	            "\"yes\",\"no\")", e, R, e, R, e, R);
	xw_formula_str(w, ws, row, LC_COUNTED, counted ? "yes" : "no", NULL);
}

static void ledger_note(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                        const struct gr_line *line, struct xw_buf *note)
{
	if (note->oom) {
		w->oom = true;
	} else if (note->len) {
		xw_text(w, ws, row, LC_NOTE, note->s, w->wrap, line->source->path,
		        line->line, "note");
		xw_fit_row(w, ws, row, note->s, 40);
	}
}

static void ledger_row(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                       size_t i, struct label_cache *countries,
                       struct label_cache *lines, struct xw_buf *note)
{
	const struct gr_recon *r = w->r;
	const struct gr_line *line = &r->ledger->lines[i];
	const struct gr_converted *c = &r->converted[i];
	const char *path = line->source->path;
	char cell[8];
	xw_buf_reset(note);

	xw_label_text(w, ws, row, LC_MEMBER, &w->members[line->member].clean, NULL);
	xw_text(w, ws, row, LC_FILE, line->source->name, NULL, path, line->line,
	        "file name");
	xw_number(w, ws, row, LC_LINE, (double)line->line, w->integer);
	xw_text(w, ws, row, LC_VOUCHER, line->voucher, NULL, path, line->line,
	        "voucher");
	xw_date(w, ws, row, LC_DATE, line->date, w->date);
	cached_label(w, ws, row, LC_COUNTRY, countries, line->country, line,
	             "country", note);
	cached_label(w, ws, row, LC_BUDGET_LINE, lines, line->budget_line, line,
	             "budget line", note);
	struct xw_clean desc;
	if (!xw_clean_text(&desc, line->description, XW_CELL_UNITS)) {
		w->oom = true;
		return;
	}
	xw_label_text(w, ws, row, LC_DESCRIPTION, &desc, NULL);
	if (desc.replaced) {
		xw_buf_addf(note, "%sdescription: %zu character%s replaced",
		            note->len ? "; " : "", desc.replaced,
		            desc.replaced == 1 ? "" : "s");
		xw_add_note(w, path, line->line, "description: %zu character%s not "
		            "allowed in a workbook replaced by a visible symbol",
		            desc.replaced, desc.replaced == 1 ? "" : "s");
	}
	if (desc.cut) {
		xw_buf_addf(note, "%sdescription cut from %zu characters",
		            note->len ? "; " : "", desc.units);
		xw_add_note(w, path, line->line, "description: cut from %zu to %d "
		            "characters, the most a cell holds", desc.units,
		            XW_CELL_UNITS);
	}
	xw_clean_release(&desc);
	if (!c->in_scope) {
		/* After the --as-of date: listed, neither converted nor counted. */
		int scale = line->amount.scale;
		xw_number(w, ws, row, LC_AMOUNT, xw_decimal(&line->amount),
		          w->amount_scale[scale >= 0 && scale <= 12 ? scale : 12]);
		xw_text(w, ws, row, LC_CURRENCY, line->currency, NULL, path,
		        line->line, "currency");
		counted_cell(w, ws, row, false);
		xw_buf_addf(note, "%sdated after the as-of date: left out, not "
		            "converted", note->len ? "; " : "");
		ledger_note(w, ws, row, line, note);
		return;
	}
	int scale = line->amount.scale;
	xw_number(w, ws, row, LC_AMOUNT, xw_decimal(&line->amount),
	          w->amount_scale[scale >= 0 && scale <= 12 ? scale : 12]);
	xw_text(w, ws, row, LC_CURRENCY, line->currency, NULL, path, line->line,
	        "currency");
	if (c->rate != GR_NO_RATE) {
		const struct gr_rate *rt = &r->fx->rates[c->rate];
		lxw_row_t fr = xw_fx_row_of(w, line->member, c->rate);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "FX!$%s$%u", xw_col(cell, FC_RATE), fr + 1);
		if (fr == 0)  /* every used rate has its row: cannot happen */
			xw_number(w, ws, row, LC_RATE, rate_double(rt), w->rate);
		else
			xw_formula_num(w, ws, row, LC_RATE, rate_double(rt), w->rate);
		if (rt->method == GR_FX_TRANSFER_AVERAGE && line->date < rt->date)
			xw_buf_addf(note, "%sno transfer on or before the date: the "
			            "earliest transfer's rate", note->len ? "; " : "");
	}
	converted_cell(w, ws, row, line, c, note);
	counted_cell(w, ws, row, c->eligible);
	if (!c->eligible)
		xw_buf_addf(note, "%soutside the grant period: listed, not counted",
		            note->len ? "; " : "");
	ledger_note(w, ws, row, line, note);
}

void xw_sheet_ledger(struct xw *w)
{
	const struct gr_ledger *ledger = w->r->ledger;
	struct label_cache countries = {0}, lines = {0};
	struct xw_buf note = {0};
	if (!cache_init(&countries, &ledger->countries) ||
	    !cache_init(&lines, &ledger->budget_lines)) {
		w->oom = true;
		goto done;
	}
	for (size_t s = 0; s < w->ledger_sheets; s++) {
		lxw_worksheet *ws = w->ledger[s];
		ledger_header(w, ws);
		size_t first = s * w->ledger_rows;
		size_t end = first + w->ledger_rows;
		if (end > ledger->count)
			end = ledger->count;
		for (size_t i = first; i < end && !w->oom &&
		     w->error == LXW_NO_ERROR; i++)
			ledger_row(w, ws, (lxw_row_t)(1 + i - first), i, &countries,
			           &lines, &note);
		lxw_row_t last = end > first ? (lxw_row_t)(end - first) : 1;
		worksheet_autofilter(ws, 0, 0, last, LC_NOTE);
	}
done:
	xw_buf_release(&note);
	cache_release(&countries);
	cache_release(&lines);
}
