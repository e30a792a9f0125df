/*
 * xlsx_fx.c: the FX sheet: every rate that converted a ledger line and
 * where it comes from, and the transfers that make up an average.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xlsx_writer.h"

/* The double of a rate as it is shown on the FX sheet: daily and monthly
 * rates are decimals of at most 12 places, so this is exact to the text; a
 * transfer average is a ratio, given to 17 places (more than a double
 * holds). xlsx_ledger.c keeps the same function for the Ledger's Rate
 * cells (=FX!E<row>, cached): the two must stay alike. */
static double rate_double(const struct gr_rate *rate)
{
	return xw_rational(rate->value,
	                   rate->method == GR_FX_TRANSFER_AVERAGE ? 17 : 12);
}

const char *xw_input_name(const struct xw *w, const char *path)
{
	for (size_t i = 0; i < w->inputs->count; i++)
		if (strcmp(w->inputs->items[i]->path, path) == 0)
			return w->inputs->items[i]->name;
	return path;
}

/* ---- FX ----------------------------------------------------------------------- */

static int by_member_rate(const void *a, const void *b)
{
	const struct xw_fx_row *x = a, *y = b;
	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	return x->rate < y->rate ? -1 : x->rate > y->rate;
}

static const struct gr_fx *sort_fx; /* qsort has no context pointer */

static int by_display(const void *a, const void *b)
{
	const struct xw_fx_row *x = a, *y = b;
	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	const struct gr_rate *p = &sort_fx->rates[x->rate];
	const struct gr_rate *q = &sort_fx->rates[y->rate];
	int c = strcmp(p->currency, q->currency);
	if (c)
		return c;
	if (p->method != q->method)
		return p->method < q->method ? -1 : 1;
	if (p->date != q->date)
		return p->date < q->date ? -1 : 1;
	return x->rate < y->rate ? -1 : x->rate > y->rate;
}

/* The (member, rate) pairs the ledger used, in display order. */
static struct xw_fx_row *used_pairs(struct xw *w, size_t *count)
{
	const struct gr_recon *r = w->r;
	size_t n = 0;
	struct xw_fx_row *pairs = gr_malloc((r->ledger->count ? r->ledger->count
	                                                       : 1) * sizeof(*pairs));
	if (!pairs) {
		w->oom = true;
		return NULL;
	}
	for (size_t i = 0; i < r->ledger->count; i++)
		if (r->converted[i].rate != GR_NO_RATE)
			pairs[n++] = (struct xw_fx_row){
				.member = r->ledger->lines[i].member,
				.rate = r->converted[i].rate,
			};
	qsort(pairs, n, sizeof(*pairs), by_member_rate);
	size_t out = 0;
	for (size_t i = 0; i < n; i++)
		if (out == 0 || by_member_rate(&pairs[out - 1], &pairs[i]) != 0)
			pairs[out++] = pairs[i];
	sort_fx = r->fx;
	qsort(pairs, out, sizeof(*pairs), by_display);
	*count = out;
	return pairs;
}

static void fx_header(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                      const char *const *names, size_t n)
{
	for (size_t c = 0; c < n; c++)
		xw_text(w, ws, row, (lxw_col_t)c, names[c], w->header, NULL, 0,
		        "header");
}

/* Exact sum of transfers[first..last] (EUR or local). */
static void transfer_sum(mpq_t sum, const struct gr_fx *fx, size_t first,
                         size_t last, bool eur)
{
	mpq_t v;
	mpq_init(v);
	mpq_set_ui(sum, 0, 1);
	for (size_t k = first; k <= last; k++) {
		gr_dec_to_mpq(v, eur ? &fx->transfers[k].eur : &fx->transfers[k].local);
		mpq_add(sum, sum, v);
	}
	mpq_clear(v);
}

void xw_sheet_fx(struct xw *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_fx *fx = r->fx;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->fx;
	char text[256];
	size_t n = 0;
	struct xw_fx_row *pairs = used_pairs(w, &n);
	if (!pairs)
		return;

	snprintf(text, sizeof(text), "Exchange rates used (units of the currency "
	         "per 1 %s)", xw_currency(w));
	xw_text(w, ws, 0, 0, text, w->title, NULL, 0, "title");
	xw_note_block(w, ws, 1, 0, FC_COUNT - 1, 184, "Every rate that "
	              "converted a ledger line, per member, currency and method, "
	              "with the file and line it comes from. A transfer-average "
	              "rate is the local currency received divided by the grant "
	              "currency sent over the member's transfers up to the line's "
	              "date (listed below); the Ledger converts with those two "
	              "sums, so its formula is exact to the inputs.", w->note_wrap);
	static const char *const head[FC_COUNT] = {
		"Member", "Currency", "Method", "Rate date", "Rate", "Source file",
		"Source line", "Sent (sum)", "Received (sum)", "Transfers",
	};
	fx_header(w, ws, 3, head, FC_COUNT);
	snprintf(text, sizeof(text), "Sent (%s, sum)", xw_currency(w));
	xw_text(w, ws, 3, FC_EUR, text, w->header_num, NULL, 0, "header");
	xw_text(w, ws, 3, FC_LOCAL, "Received (local, sum)", w->header_num,
	        NULL, 0, "header");
	xw_text(w, ws, 3, FC_RATE, "Rate", w->header_num, NULL, 0, "header");

	lxw_row_t first = 4;
	lxw_row_t rows = n ? (lxw_row_t)n : 1;
	lxw_row_t transfers_first = first + rows + 3;
	if (first + rows + 3 + fx->transfer_count >= LXW_ROW_MAX) {
		gr_error(w->diags, NULL, 0, "the FX sheet would need more than %d "
		         "rows", LXW_ROW_MAX);
		w->error = LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
		free(pairs);
		return;
	}
	if (n == 0)
		xw_text(w, ws, first, 0, "No ledger line needed a conversion.",
		        w->note, NULL, 0, "note");
	char cell[8];
	mpq_t sum_eur, sum_local;
	mpq_inits(sum_eur, sum_local, NULL);
	for (size_t i = 0; i < n; i++) {
		lxw_row_t row = first + (lxw_row_t)i;
		pairs[i].row = row;
		const struct gr_rate *rt = &fx->rates[pairs[i].rate];
		xw_label_text(w, ws, row, FC_MEMBER, &w->members[pairs[i].member].clean,
		              NULL);
		xw_text(w, ws, row, FC_CURRENCY, rt->currency, NULL, NULL, 0,
		        "currency");
		xw_text(w, ws, row, FC_METHOD, gr_fx_method_name(rt->method), NULL,
		        NULL, 0, "method");
		xw_date(w, ws, row, FC_DATE, rt->date,
		        rt->method == GR_FX_MONTHLY ? w->month : w->date);
		xw_text(w, ws, row, FC_FILE, xw_input_name(w, rt->path), NULL, NULL, 0,
		        "file");
		xw_number(w, ws, row, FC_LINE, (double)rt->line, w->integer);
		if (rt->method != GR_FX_TRANSFER_AVERAGE) {
			xw_number(w, ws, row, FC_RATE, rate_double(rt), w->rate);
			continue;
		}
		/* The average: received / sent over transfers[first..last]. */
		lxw_row_t t0 = transfers_first + (lxw_row_t)rt->first_transfer;
		lxw_row_t t1 = transfers_first + (lxw_row_t)rt->last_transfer;
		transfer_sum(sum_eur, fx, rt->first_transfer, rt->last_transfer, true);
		transfer_sum(sum_local, fx, rt->first_transfer, rt->last_transfer,
		             false);
		xw_buf_reset(&w->f);
		char eur[8];
		xw_buf_addf(&w->f, "%s%u/%s%u", xw_col(cell, FC_LOCAL), row + 1,
		            xw_col(eur, FC_EUR), row + 1);
		xw_formula_num(w, ws, row, FC_RATE, rate_double(rt), w->rate);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "SUM(D%u:D%u)", t0 + 1, t1 + 1);
		xw_formula_num(w, ws, row, FC_EUR, xw_rational(sum_eur, 12), w->rate);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "SUM(E%u:E%u)", t0 + 1, t1 + 1);
		xw_formula_num(w, ws, row, FC_LOCAL, xw_rational(sum_local, 12),
		               w->rate);
		snprintf(text, sizeof(text), "rows %u to %u below (lines %ld to %ld)",
		         t0 + 1, t1 + 1, fx->transfers[rt->first_transfer].line,
		         fx->transfers[rt->last_transfer].line);
		xw_text(w, ws, row, FC_TRANSFERS, text, NULL, NULL, 0, "transfers");
	}
	mpq_clears(sum_eur, sum_local, NULL);

	if (fx->transfer_count > 0) {
		lxw_row_t row = transfers_first - 2;
		snprintf(text, sizeof(text), "Transfers to members (for fx = "
		         "transfer-average), from %s",
		         fx->transfers_path ? xw_input_name(w, fx->transfers_path) : "");
		xw_text(w, ws, row, 0, text, w->h2, NULL, 0, "title");
		static const char *const thead[] = {
			"Member", "Currency", "Date", "Sent", "Received (local)",
			"Source file", "Source line",
		};
		fx_header(w, ws, row + 1, thead, 7);
		snprintf(text, sizeof(text), "Sent (%s)", xw_currency(w));
		xw_text(w, ws, row + 1, 3, text, w->header_num, NULL, 0, "header");
		xw_text(w, ws, row + 1, 4, "Received (local)", w->header_num, NULL,
		        0, "header");
		const char *file = fx->transfers_path
		                   ? xw_input_name(w, fx->transfers_path) : "";
		for (size_t k = 0; k < fx->transfer_count; k++) {
			const struct gr_transfer *t = &fx->transfers[k];
			row = transfers_first + (lxw_row_t)k;
			if (t->member < g->member_count)
				xw_label_text(w, ws, row, 0, &w->members[t->member].clean,
				              NULL);
			xw_text(w, ws, row, 1, t->currency, NULL, NULL, 0, "currency");
			xw_date(w, ws, row, 2, t->date, w->date);
			xw_number(w, ws, row, 3, xw_decimal(&t->eur), w->rate);
			xw_number(w, ws, row, 4, xw_decimal(&t->local), w->rate);
			xw_text(w, ws, row, 5, file, NULL, NULL, 0, "file");
			xw_number(w, ws, row, 6, (double)t->line, w->integer);
		}
	}

	worksheet_set_column(ws, FC_MEMBER, FC_MEMBER, 12, NULL);
	worksheet_set_column(ws, FC_CURRENCY, FC_CURRENCY, 10, NULL);
	worksheet_set_column(ws, FC_METHOD, FC_METHOD, 17, NULL);
	worksheet_set_column(ws, FC_DATE, FC_DATE, 12, NULL);
	worksheet_set_column(ws, FC_RATE, FC_RATE, 20, NULL);
	worksheet_set_column(ws, FC_FILE, FC_FILE, 26, NULL);
	worksheet_set_column(ws, FC_LINE, FC_LINE, 11, NULL);
	worksheet_set_column(ws, FC_EUR, FC_LOCAL, 22, NULL);
	worksheet_set_column(ws, FC_TRANSFERS, FC_TRANSFERS, 36, NULL);
	worksheet_freeze_panes(ws, 4, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 3, 3);
	worksheet_set_footer(ws, "&L&A&R&P / &N");

	/* Kept sorted by (member, rate) for the Ledger's lookups. */
	qsort(pairs, n, sizeof(*pairs), by_member_rate);
	w->fx_rows = pairs;
	w->fx_row_count = n;
}
