/*
 * xlsx_changes.c: the Changes sheet (--previous): what changed since the
 * previous report, as struct gr_changes holds it.
 *
 * The quarters as reported then are values (the previous report is not in
 * this workbook); as restated now they are the cells of the Quarters
 * sheet, and the differences formulas. Each changed line has a row per
 * side: the archived line (values, as grantrec computed them from the
 * archive) and this report's line, whose converted amount and Counted flag
 * are its Ledger cells.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/changes.h"
#include "base/util.h"
#include "report/xlsx_writer.h"

#define XR(row) ((unsigned)(row) + 1u)

/* ---- the per-line figures ------------------------------------------------------ */

/* What this sheet shows of a line beyond its ids, date and currency. */
struct line_figures {
	const char *voucher;
	struct gr_dec amount;     /* as written, in the line's currency */
	mpz_t cents;              /* converted, in the grant currency */
};

/* A line's voucher, amount as written and converted amount, in the forms
 * this sheet writes them. */
static void line_figures(struct line_figures *out, const struct gr_recon *r,
                         size_t i)
{
	const struct gr_line *line = &r->ledger->lines[i];
	out->voucher = line->voucher;
	gr_line_amount(r->ledger, line, &out->amount);
	gr_converted_cents(r, i, out->cents);
}

/* ---- the previous report's grant.ini ------------------------------------------------- */

char *xw_previous_name(const struct xw *w)
{
	const char *given = w->changes->before->grant->ini_path;
	char *here = realpath(w->r->grant->dir, NULL);
	char *there = realpath(given, NULL);
	if (!here || !there) {
		/* Gone since it was read: say it as it was given. */
		free(here);
		free(there);
		return gr_strdup(given);
	}
	/* The components the two share, then up from here and down there. */
	size_t common = 0;
	if (strcmp(here, "/") == 0)
		here[0] = '\0';
	for (size_t i = 0;; i++) {
		bool end_here = here[i] == '\0' || here[i] == '/';
		if (end_here && there[i] == '/')
			common = i;
		if (here[i] == '\0' || here[i] != there[i])
			break;
	}
	struct xw_buf b = {0};
	for (const char *p = here + common; *p; p++)
		if (*p == '/')
			xw_buf_add(&b, "../");
	xw_buf_add(&b, there + common + 1);
	free(here);
	free(there);
	if (b.oom) {
		xw_buf_release(&b);
		return NULL;
	}
	return b.s;
}

/* ---- layout ------------------------------------------------------------------------- */

#define CHANGES_WIDTH 212

static void header(struct xw *w, lxw_row_t row, const char *const *names,
                   const bool *numeric, size_t n)
{
	for (size_t c = 0; c < n; c++)
		xw_text(w, w->changes_ws, row, (lxw_col_t)c, names[c],
		        numeric[c] ? w->header_num : w->header, NULL, 0, "header");
	worksheet_set_row(w->changes_ws, row, 30, NULL);
}

static long find_quarter(const struct gr_recon *r, const char *label)
{
	for (size_t q = 0; q < r->quarter_count; q++)
		if (strcmp(r->quarters[q].label, label) == 0)
			return (long)q;
	return -1;
}

/* ---- the quarters, reported and restated --------------------------------------------- */

static lxw_row_t restated_rows(struct xw *w, lxw_row_t row)
{
	const struct gr_changes *c = w->changes;
	const struct gr_recon *r = w->r;
	lxw_worksheet *ws = w->changes_ws;
	char text[160], col[8];
	snprintf(text, sizeof(text), "Quarters as reported and as restated now "
	         "(%s)", xw_currency(w));
	xw_text(w, ws, row++, 0, text, w->h2, NULL, 0, "title");
	static const char *const head[XW_RS_COUNT + 1] = {
		"Quarter", "Member", "From", "To", "Reported", "Restated now",
		"Difference", "",
	};
	static const bool num[XW_RS_COUNT + 1] = {
		false, false, false, false, true, true, true, false,
	};
	header(w, row++, head, num, XW_RS_COUNT);
	w->changes_restated_first = row;
	if (c->restated_count == 0) {
		xw_text(w, ws, row++, 0, "The previous report covered no quarter.",
		        w->note, NULL, 0, "note");
		w->changes_restated_end = row;
		return row;
	}
	for (size_t i = 0; i < c->restated_count; i++, row++) {
		const struct gr_restated *q = &c->restated[i];
		unsigned R = XR(row);
		xw_text(w, ws, row, XW_RS_QUARTER, q->quarter, NULL, NULL, 0,
		        "quarter");
		xw_text(w, ws, row, XW_RS_MEMBER, q->member, NULL, NULL, 0, "member");
		xw_date(w, ws, row, XW_RS_FROM, q->from, w->date);
		xw_date(w, ws, row, XW_RS_TO, q->to, w->date);
		xw_money(w, ws, row, XW_RS_REPORTED, q->before, w->money);
		long nq = find_quarter(r, q->quarter);
		long nm = gr_grant_find_member(r->grant, q->member);
		if (nq >= 0 && nm >= 0) {
			xw_buf_reset(&w->f);
			xw_buf_addf(&w->f, "Quarters!$%s$%u",
			            xw_col(col, xw_quarter_col(w, (size_t)nm)),
			            XR(xw_quarter_row((size_t)nq)));
			xw_formula_cents(w, ws, row, XW_RS_NOW, q->now, w->money);
		} else {
			/* Nothing of it counts in this report. */
			xw_money(w, ws, row, XW_RS_NOW, q->now, w->money);
			xw_text(w, ws, row, XW_RS_COUNT, nm < 0 ? "not a member in this "
			        "report" : "not a quarter of this report (after its "
			        "as-of date)", w->note, NULL, 0, "note");
		}
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "%s%u-", xw_col(col, XW_RS_NOW), R);
		xw_buf_addf(&w->f, "%s%u", xw_col(col, XW_RS_REPORTED), R);
		xw_formula_cents(w, ws, row, XW_RS_DIFFERENCE, q->difference,
		                 w->money);
	}
	w->changes_restated_end = row;
	/* A restated figure stands out. */
	char rule[32];
	snprintf(rule, sizeof(rule), "=$%s%u<>0", xw_col(col, XW_RS_DIFFERENCE),
	         XR(w->changes_restated_first));
	lxw_conditional_format cf = {
		.type = LXW_CONDITIONAL_TYPE_FORMULA, .value_string = rule,
		.format = w->cf_over,
	};
	xw_check(w, worksheet_conditional_format_range(
		ws, w->changes_restated_first, 0, row - 1, XW_RS_COUNT - 1, &cf));
	return row;
}

/* ---- the lines ---------------------------------------------------------------------- */

static const char *field_names(char *buf, size_t size, unsigned fields)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{GR_CHANGED_AMOUNT, "amount"}, {GR_CHANGED_CURRENCY, "currency"},
		{GR_CHANGED_DATE, "date"}, {GR_CHANGED_BUDGET_LINE, "budget line"},
		{GR_CHANGED_RATE, "rate"},
		{GR_CHANGED_GRANT_AMOUNT, "converted amount"},
	};
	size_t len = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if ((fields & names[k].bit) && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
			                        len ? ", " : "", names[k].name);
	return buf;
}

/* One side of a change: the archived line (`now` false: values) or this
 * report's (its Ledger cells). */
static void side_row(struct xw *w, lxw_row_t row, const struct gr_line_change *lc,
                     bool now, struct line_figures *fig, const char *fields)
{
	const struct gr_changes *c = w->changes;
	const struct gr_recon *r = now ? c->now : c->before;
	size_t i = now ? lc->now : lc->before;
	const struct gr_line *line = &r->ledger->lines[i];
	/* A text changed for the workbook is noted with this report's file and
	 * line, or with this sheet's cell: the archive's path is no input of
	 * this report. */
	const char *path = now ? gr_line_input(r->ledger, line)->path : NULL;
	lxw_worksheet *ws = w->changes_ws;
	line_figures(fig, r, i);
	xw_text(w, ws, row, XW_CH_KIND, gr_change_kind_name(lc->kind), NULL, NULL,
	        0, "kind");
	if (now)
		xw_label_text(w, ws, row, XW_CH_MEMBER,
		              &w->members[line->member].clean, NULL);
	else
		xw_text(w, ws, row, XW_CH_MEMBER,
		        r->grant->members[line->member].id, NULL, path, line->line,
		        "member");
	xw_text(w, ws, row, XW_CH_VOUCHER, fig->voucher, NULL, path, line->line,
	        "voucher");
	xw_text(w, ws, row, XW_CH_SIDE, now ? "now" : "before",
	        now ? NULL : w->note, NULL, 0, "side");
	xw_date(w, ws, row, XW_CH_DATE, line->date, w->date);
	xw_text(w, ws, row, XW_CH_BUDGET_LINE,
	        r->ledger->budget_lines.strings[line->budget_line], NULL, path,
	        line->line, "budget line");
	int scale = fig->amount.scale;
	xw_number(w, ws, row, XW_CH_AMOUNT, xw_decimal(&fig->amount),
	          w->amount_scale[scale >= 0 && scale <= 12 ? scale : 12]);
	xw_text(w, ws, row, XW_CH_CURRENCY, line->currency, w->check, path,
	        line->line, "currency");
	size_t rate = r->converted[i].rate;
	bool counted = r->converted[i].eligible;
	if (now) {
		char col[8];
		unsigned R;
		const char *sheet = xw_ledger_cell(w, i, &R);
		if (rate != GR_NO_RATE) {
			xw_buf_reset(&w->f);
			xw_buf_addf(&w->f, "%s%s%u", sheet, xw_col(col, LC_RATE), R);
			xw_formula_num(w, ws, row, XW_CH_RATE,
			               xw_rate_double(&r->fx->rates[rate]), w->rate);
		}
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "%s%s%u", sheet, xw_col(col, LC_CONVERTED), R);
		xw_formula_cents(w, ws, row, XW_CH_CONVERTED, fig->cents, w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "%s%s%u", sheet, xw_col(col, LC_COUNTED), R);
		xw_formula_str(w, ws, row, XW_CH_COUNTED, counted ? "yes" : "no",
		               w->check);
	} else {
		if (rate != GR_NO_RATE)
			xw_number(w, ws, row, XW_CH_RATE,
			          xw_rate_double(&r->fx->rates[rate]), w->rate);
		xw_money(w, ws, row, XW_CH_CONVERTED, fig->cents, w->money);
		xw_text(w, ws, row, XW_CH_COUNTED, counted ? "yes" : "no", w->check,
		        NULL, 0, "counted");
	}
	xw_text(w, ws, row, XW_CH_FILE, gr_line_input(r->ledger, line)->name,
	        w->indent, path,
	        line->line, "file name");
	xw_number(w, ws, row, XW_CH_LINE, (double)line->line, w->integer);
	if (fields[0])
		xw_text(w, ws, row, XW_CH_FIELDS, fields, w->indent, NULL, 0,
		        "fields");
}

static lxw_row_t line_rows(struct xw *w, lxw_row_t row)
{
	const struct gr_changes *c = w->changes;
	lxw_worksheet *ws = w->changes_ws;
	char text[256], conv[8], cnt[8];
	snprintf(text, sizeof(text), "Lines booked late, removed or changed "
	         "(%s)", xw_currency(w));
	xw_text(w, ws, row++, 0, text, w->h2, NULL, 0, "title");
	static const char *const head[XW_CH_COUNT] = {
		"Kind", "Member", "Voucher", "Side", "Date", "Budget line", "Amount",
		"Currency", "Rate", "Converted", "Counted", "Effect on actual",
		"Source file", "Source line", "What changed",
	};
	static const bool num[XW_CH_COUNT] = {
		false, false, false, false, false, false, true, false, true, true,
		false, true, false, true, false,
	};
	lxw_row_t head_row = row;
	header(w, row++, head, num, XW_CH_COUNT);
	snprintf(text, sizeof(text), "Converted (%s)", xw_currency(w));
	xw_text(w, ws, head_row, XW_CH_CONVERTED, text, w->header_num, NULL, 0,
	        "header");
	w->changes_lines_first = row;
	xw_col(conv, XW_CH_CONVERTED);
	xw_col(cnt, XW_CH_COUNTED);
	struct line_figures before, now;
	gr_dec_init(&before.amount);
	gr_dec_init(&now.amount);
	mpz_inits(before.cents, now.cents, NULL);
	mpz_t effect, net;
	mpz_inits(effect, net, NULL);
	/* The restated quarters are above: every row left is for the lines. */
	const lxw_row_t limit = LXW_ROW_MAX - 2;
	size_t shown = 0;
	for (size_t k = 0; k < c->line_count && row + 2 < limit; k++, shown++) {
		const struct gr_line_change *lc = &c->lines[k];
		char fields[128] = "";
		if (lc->kind == GR_CHANGE_CHANGED)
			field_names(fields, sizeof(fields), lc->fields);
		lxw_row_t b = 0, n = 0;
		mpz_set_ui(effect, 0);
		if (lc->before != GR_NO_LINE) {
			b = row++;
			side_row(w, b, lc, false, &before, fields);
			if (c->before->converted[lc->before].eligible)
				mpz_sub(effect, effect, before.cents);
		}
		if (lc->now != GR_NO_LINE) {
			n = row++;
			side_row(w, n, lc, true, &now, fields);
			if (c->now->converted[lc->now].eligible)
				mpz_add(effect, effect, now.cents);
		}
		/* What now counts less what counted before, on the change's last
		 * row. */
		xw_buf_reset(&w->f);
		if (n)
			xw_buf_addf(&w->f, "IF(%s%u=\"yes\",%s%u,0)", cnt, XR(n), conv,
			            XR(n));
		if (b)
			xw_buf_addf(&w->f, "-IF(%s%u=\"yes\",%s%u,0)", cnt, XR(b), conv,
			            XR(b));
		xw_formula_cents(w, ws, n ? n : b, XW_CH_EFFECT, effect, w->money);
		mpz_add(net, net, effect);
	}
	mpz_clears(before.cents, now.cents, NULL);
	gr_dec_clear(&before.amount);
	gr_dec_clear(&now.amount);
	w->changes_lines_end = row;
	if (shown) {
		/* Changes dated in reported quarters add up to their
		 * restatement. */
		char eff[8];
		xw_text(w, ws, row, XW_CH_KIND, "Total", w->text_total, NULL, 0,
		        "label");
		for (lxw_col_t k = 1; k < XW_CH_EFFECT; k++)
			xw_check(w, worksheet_write_blank(ws, row, k, w->text_total));
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "SUM(%s%u:%s%u)", xw_col(eff, XW_CH_EFFECT),
		            XR(w->changes_lines_first), eff, XR(row) - 1);
		xw_formula_cents(w, ws, row++, XW_CH_EFFECT, net, w->money_total);
	}
	mpz_clears(effect, net, NULL);
	if (c->line_count == 0)
		xw_text(w, ws, row++, 0, "No line was booked late, removed or "
		        "changed.", w->note, NULL, 0, "note");
	else if (shown < c->line_count) {
		snprintf(text, sizeof(text), "%zu more changes do not fit on this "
		         "sheet: see the JSON output (grantrec reconcile --json)",
		         c->line_count - shown);
		xw_text(w, ws, row++, 0, text, w->bold, NULL, 0, "note");
	}
	worksheet_autofilter(ws, head_row, 0, w->changes_lines_end > head_row + 1
	                     ? w->changes_lines_end - 1 : head_row + 1,
	                     XW_CH_COUNT - 1);
	return row;
}

void xw_sheet_changes(struct xw *w)
{
	const struct gr_changes *c = w->changes;
	lxw_worksheet *ws = w->changes_ws;
	if (!c || !ws)
		return;
	char text[1024], as_of[11], to[11];
	snprintf(text, sizeof(text), "Changes since the previous report (%s)",
	         xw_currency(w));
	xw_text(w, ws, 0, 0, text, w->title, NULL, 0, "title");
	snprintf(text, sizeof(text), "The previous report's inputs (%s) are "
	         "reconciled again as they were archived: books as of %s, "
	         "reported to %s, the end of that quarter. Reported is what its "
	         "quarters held then, restated now what they hold in this report "
	         "(the Quarters sheet). Lines are matched by member and voucher "
	         "(a voucher's lines in file order): a late booking is a line "
	         "dated up to %s that the previous books lacked; removed, a line "
	         "of the previous books that is gone; changed, a line whose "
	         "amount, currency, date, budget line or rate differs. Each has a "
	         "row per side: before (the archived line, as grantrec converted "
	         "it then) and now (this report's line, its Ledger cells). Effect "
	         "on actual: what counts now less what counted before.",
	         w->previous_name, gr_date_iso(as_of, c->before->as_of),
	         gr_date_iso(to, c->reported_to), to);
	xw_note_block(w, ws, 1, 0, XW_CH_COUNT - 1, CHANGES_WIDTH, text,
	              w->note_wrap);
	lxw_row_t row = restated_rows(w, 3);
	line_rows(w, row + 1);

	static const double width[XW_CH_COUNT] = {
		13, 11, 15, 11, 14, 24, 14, 9, 14, 14, 9, 15, 14, 8, 28,
	};
	for (int k = 0; k < XW_CH_COUNT; k++)
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, width[k], NULL);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_footer(ws, "&L&A&R&P / &N");
}
