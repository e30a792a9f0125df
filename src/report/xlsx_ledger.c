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

#include "base/util.h"
#include "report/xlsx_writer.h"

#include "grantrec/progress.h"

/* A double has 15 significant decimal digits that always survive: beyond
 * that the spreadsheet cannot redo the arithmetic exactly. */
#define XW_EXACT_DIGITS GR_SPREADSHEET_DIGITS

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
			xw_add_note(w, gr_line_input(w->r->ledger, line)->path, line->line,
			            "%s: %zu character%s not allowed in a workbook "
			            "replaced by a visible symbol (first line with it)",
			            what, cl->replaced, cl->replaced == 1 ? "" : "s");
		if (cl->cut)
			xw_add_note(w, gr_line_input(w->r->ledger, line)->path, line->line,
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

/* What the Ledger sheet keeps while it writes: formulas are built with
 * these appends rather than printf (three formulas a line, a million
 * lines), and each rate's double is worked out once, not once a line. */
struct ledger_pass {
	struct xw *w;
	struct label_cache countries, lines;
	struct xw_buf note;
	double *rate_value;          /* [rate_count] */
	bool *rate_ready;
	char amount_col[8], rate_col[8], date_col[8];
	char fx_rate_col[8], fx_eur_col[8], fx_local_col[8];
};

static void put(struct xw_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap;
		if (!gr_grow((void **)&b->s, &cap, b->len + n + 1, 1)) {
			b->oom = true;
			return;
		}
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void put_str(struct xw_buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_uint(struct xw_buf *b, unsigned long v)
{
	char digits[24];
	size_t n = 0;
	do {
		digits[sizeof(digits) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(b, digits + sizeof(digits) - n, n);
}

/* "I123" */
static void put_ref(struct xw_buf *b, const char *col, unsigned long row)
{
	put_str(b, col);
	put_uint(b, row);
}

/* "FX!$E$123" */
static void put_fx_ref(struct xw_buf *b, const char *col, unsigned long row)
{
	put(b, "FX!$", 4);
	put_str(b, col);
	put(b, "$", 1);
	put_uint(b, row);
}

static double rate_value(struct ledger_pass *p, uint32_t rate)
{
	if (!p->rate_ready[rate]) {
		p->rate_value[rate] = xw_rate_double(&p->w->r->fx->rates[rate]);
		p->rate_ready[rate] = true;
	}
	return p->rate_value[rate];
}

/* coef / 10^scale as the nearest double, when that is one division: up to
 * 2^53 the coefficient and the power of ten are exact doubles, and IEEE
 * division rounds once, to the double strtod gives for the decimal text.
 * False when the caller must go through the text. */
static bool small_decimal_double(int64_t coef, int scale, double *out)
{
	static const double pow10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	const int64_t exact = (int64_t)1 << 53;
	if (scale < 0 || scale > 6 || coef > exact || coef < -exact)
		return false;
	*out = (double)coef / pow10[scale];
	return true;
}

/* A line's converted amount, in the grant currency, as the nearest double. */
static double cents_double(const struct gr_recon *r, size_t i)
{
	const struct gr_converted *c = &r->converted[i];
	double v;
	if (!c->cents_big && small_decimal_double(c->cents, 2, &v))
		return v;
	mpz_t cents;
	mpz_init(cents);
	gr_converted_cents(r, i, cents);
	v = xw_cents(cents);
	mpz_clear(cents);
	return v;
}

/* The converted amount: a formula when the spreadsheet can recompute the
 * exact figure, else grantrec's value with the reason in `note`. */
static void converted_cell(struct ledger_pass *p, lxw_worksheet *ws,
                           lxw_row_t row, size_t i, struct xw_buf *note)
{
	struct xw *w = p->w;
	const struct gr_line *line = &w->r->ledger->lines[i];
	const struct gr_converted *c = &w->r->converted[i];
	size_t digits = gr_line_digits(w->r->ledger, line);
	const struct gr_grant *g = w->r->grant;
	const struct gr_fx *fx = w->r->fx;
	unsigned long R = row + 1;
	const char *why = NULL;
	struct xw_buf *f = &w->f;
	xw_buf_reset(f);
	if (digits > XW_EXACT_DIGITS) {
		why = "amount has more digits than a spreadsheet computes with";
	} else if (c->rate == GR_NO_RATE) {
		if (line->scale <= 2) {
			put_ref(f, p->amount_col, R);
		} else if (g->rounding == GR_ROUND_HALF_UP) {
			put(f, "ROUND(", 6);
			put_ref(f, p->amount_col, R);
			put(f, ",2)", 3);
		} else {
			why = "half-even rounding";
		}
	} else if (g->rounding != GR_ROUND_HALF_UP) {
		why = "half-even rounding";
	} else if (xw_fx_row_of(w, line->member, c->rate) == 0) {
		why = "rate not on the FX sheet";  /* cannot happen */
	} else {
		const struct gr_rate *rt = &fx->rates[c->rate];
		unsigned long fr = xw_fx_row_of(w, line->member, c->rate) + 1;
		put(f, "ROUND(", 6);
		put_ref(f, p->amount_col, R);
		if (rt->method == GR_FX_TRANSFER_AVERAGE) {
			/* amount x sent / received: exact to the transfers. */
			put(f, "*", 1);
			put_fx_ref(f, p->fx_eur_col, fr);
			put(f, "/", 1);
			put_fx_ref(f, p->fx_local_col, fr);
		} else {
			put(f, "/", 1);
			put_ref(f, p->rate_col, R);
		}
		put(f, ",2)", 3);
	}
	if (digits > XW_EXACT_DIGITS || why) {
		mpz_t cents;
		mpz_init(cents);
		gr_converted_cents(w->r, i, cents);
		if (digits > XW_EXACT_DIGITS) {
			/* The number in the Amount cell is the nearest double; the
			 * exact amount stays readable beside it, as text. */
			char exact[GR_MONEY_BUF], text[GR_MONEY_BUF];
			xw_buf_addf(note, "%sexact amount %s, exact converted amount %s",
			            note->len ? "; " : "",
			            gr_line_amount_str(exact, w->r->ledger, line),
			            gr_cents_str(text, cents));
		}
		if (why) {
			xw_money(w, ws, row, LC_CONVERTED, cents, w->money);
			xw_buf_addf(note, "%sconverted amount is grantrec's value (%s)",
			            note->len ? "; " : "", why);
		} else {
			xw_formula_cents(w, ws, row, LC_CONVERTED, cents, w->money);
		}
		mpz_clear(cents);
		return;
	}
	xw_formula_num(w, ws, row, LC_CONVERTED, cents_double(w->r, i), w->money);
}

/* Counted: dated inside the grant period and not after the as-of date
 * (which, unless --as-of was given, is the latest date in the inputs). */
static void counted_cell(struct ledger_pass *p, lxw_worksheet *ws,
                         lxw_row_t row, bool counted)
{
	struct xw_buf *f = &p->w->f;
	unsigned long R = row + 1;
	xw_buf_reset(f);
	put(f, "IF(AND(", 7);
	put_ref(f, p->date_col, R);
	put_str(f, ">=GrantStart,");
	put_ref(f, p->date_col, R);
	put_str(f, "<=GrantEnd,");
	put_ref(f, p->date_col, R);
	put_str(f, "<=AsOf),\"yes\",\"no\")");
	xw_formula_str(p->w, ws, row, LC_COUNTED, counted ? "yes" : "no", NULL);
}

static void ledger_note(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                        const struct gr_line *line, struct xw_buf *note)
{
	if (note->oom) {
		w->oom = true;
	} else if (note->len) {
		xw_text(w, ws, row, LC_NOTE, note->s, w->wrap,
		        gr_line_input(w->r->ledger, line)->path, line->line, "note");
		xw_fit_row(w, ws, row, note->s, 40);
	}
}

/* The amount as written, as the nearest double. */
static double amount_double(const struct gr_ledger *ledger,
                            const struct gr_line *line)
{
	double v;
	if (!line->amount_big && small_decimal_double(line->amount, line->scale, &v))
		return v;
	struct gr_dec d;
	gr_dec_init(&d);
	gr_line_amount(ledger, line, &d);
	v = xw_decimal(&d);
	gr_dec_clear(&d);
	return v;
}

static void ledger_row(struct ledger_pass *p, lxw_worksheet *ws,
                       lxw_row_t row, size_t i, const char *description)
{
	struct xw *w = p->w;
	struct label_cache *countries = &p->countries, *lines = &p->lines;
	struct xw_buf *note = &p->note;
	const struct gr_recon *r = w->r;
	const struct gr_line *line = &r->ledger->lines[i];
	const struct gr_converted *c = &r->converted[i];
	const struct gr_input *source = gr_line_input(r->ledger, line);
	const char *path = source->path;
	xw_buf_reset(note);

	xw_label_text(w, ws, row, LC_MEMBER, &w->members[line->member].clean, NULL);
	xw_text(w, ws, row, LC_FILE, source->name, NULL, path, line->line,
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
	if (!xw_clean_text(&desc, description, XW_CELL_UNITS)) {
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
		int scale = line->scale;
		xw_number(w, ws, row, LC_AMOUNT, amount_double(r->ledger, line),
		          w->amount_scale[scale <= 12 ? scale : 12]);
		xw_text(w, ws, row, LC_CURRENCY, line->currency, NULL, path,
		        line->line, "currency");
		counted_cell(p, ws, row, false);
		xw_buf_addf(note, "%sdated after the as-of date: left out, not "
		            "converted", note->len ? "; " : "");
		ledger_note(w, ws, row, line, note);
		return;
	}
	int scale = line->scale;
	xw_number(w, ws, row, LC_AMOUNT, amount_double(r->ledger, line),
	          w->amount_scale[scale <= 12 ? scale : 12]);
	xw_text(w, ws, row, LC_CURRENCY, line->currency, NULL, path, line->line,
	        "currency");
	if (c->rate != GR_NO_RATE) {
		const struct gr_rate *rt = &r->fx->rates[c->rate];
		lxw_row_t fr = xw_fx_row_of(w, line->member, c->rate);
		xw_buf_reset(&w->f);
		put_fx_ref(&w->f, p->fx_rate_col, (unsigned long)fr + 1);
		if (fr == 0)  /* every used rate has its row: cannot happen */
			xw_number(w, ws, row, LC_RATE, rate_value(p, c->rate), w->rate);
		else
			xw_formula_num(w, ws, row, LC_RATE, rate_value(p, c->rate),
			               w->rate);
		if (rt->method == GR_FX_TRANSFER_AVERAGE && line->date < rt->date)
			xw_buf_addf(note, "%sno transfer on or before the date: the "
			            "earliest transfer's rate", note->len ? "; " : "");
	}
	converted_cell(p, ws, row, i, note);
	counted_cell(p, ws, row, c->eligible);
	if (!c->eligible)
		xw_buf_addf(note, "%soutside the grant period: listed, not counted",
		            note->len ? "; " : "");
	ledger_note(w, ws, row, line, note);
}

/* One stored line with the description read again from its file. */
static bool ledger_line(void *ctx, size_t i, const char *description)
{
	struct ledger_pass *p = ctx;
	struct xw *w = p->w;
	if (w->oom || w->error != LXW_NO_ERROR)
		return false;
	if (i % 65536 == 0)
		gr_progress("writing the workbook", i, w->r->ledger->count);
	size_t s = i / w->ledger_rows;
	ledger_row(p, w->ledger[s], (lxw_row_t)(1 + i - s * w->ledger_rows), i,
	           description);
	return true;
}

void xw_sheet_ledger(struct xw *w)
{
	const struct gr_ledger *ledger = w->r->ledger;
	struct ledger_pass pass = { .w = w };
	struct gr_diags reread = GR_DIAGS_INIT;
	size_t rates = w->r->fx->rate_count ? w->r->fx->rate_count : 1;
	pass.rate_value = gr_malloc(rates * sizeof(*pass.rate_value));
	pass.rate_ready = gr_calloc(rates, sizeof(*pass.rate_ready));
	xw_col(pass.amount_col, LC_AMOUNT);
	xw_col(pass.rate_col, LC_RATE);
	xw_col(pass.date_col, LC_DATE);
	xw_col(pass.fx_rate_col, FC_RATE);
	xw_col(pass.fx_eur_col, FC_EUR);
	xw_col(pass.fx_local_col, FC_LOCAL);
	if (!pass.rate_value || !pass.rate_ready ||
	    !cache_init(&pass.countries, &ledger->countries) ||
	    !cache_init(&pass.lines, &ledger->budget_lines)) {
		w->oom = true;
		goto done;
	}
	/* Every sheet's header first: each sheet is written row by row, and
	 * the lines then fill the sheets in order. */
	for (size_t s = 0; s < w->ledger_sheets; s++)
		ledger_header(w, w->ledger[s]);
	/* Descriptions are not kept in memory (a ten-million-line ledger
	 * would need a gigabyte for them): the files are read again. */
	enum gr_status st = gr_ledger_descriptions(ledger, w->r->grant,
	                                           ledger_line, &pass, &reread);
	if (st == GR_E_SYSTEM && reread.errors == 0)
		w->oom = true;
	if (st == GR_E_INPUT)
		w->input_failed = true;
	for (size_t k = 0; k < reread.count; k++) {
		const struct gr_diag *d = &reread.items[k];
		if (d->file && d->line > 0)
			gr_error(w->diags, NULL, 0, "%s:%ld: %s", d->file, d->line,
			         d->message);
		else if (d->file)
			gr_error(w->diags, NULL, 0, "%s: %s", d->file, d->message);
		else
			gr_error(w->diags, NULL, 0, "%s", d->message);
	}
	if (reread.out_of_memory)
		w->oom = true;
	/* What follows is mostly libxlsxwriter compressing the sheets, which
	 * says nothing of its progress. */
	gr_progress("compressing the workbook", 0, 0);
	for (size_t s = 0; s < w->ledger_sheets; s++) {
		size_t first = s * w->ledger_rows;
		size_t end = first + w->ledger_rows;
		if (end > ledger->count)
			end = ledger->count;
		lxw_row_t last = end > first ? (lxw_row_t)(end - first) : 1;
		worksheet_autofilter(w->ledger[s], 0, 0, last, LC_NOTE);
	}
done:
	gr_diags_release(&reread);
	xw_buf_release(&pass.note);
	cache_release(&pass.countries);
	cache_release(&pass.lines);
	free(pass.rate_value);
	free(pass.rate_ready);
}
