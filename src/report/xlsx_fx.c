/*
 * xlsx_fx.c: the FX sheet: every rate that converted a ledger line and
 * where it comes from, and the transfers that make up an average.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/xlsx_writer.h"

/* The double of a rate as it is shown on the FX sheet: daily and monthly
 * rates are decimals of at most 12 places, so this is exact to the text; a
 * transfer average is a ratio, given to 17 places (more than a double
 * holds). The Ledger's Rate cells (=FX!E<row>) cache the same double. */
double xw_rate_double(const struct gr_rate *rate)
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
	size_t members = r->grant->member_count;
	size_t rates = r->fx->rate_count;
	/* A flag per member and rate, not an entry per line: a grant of ten
	 * million lines uses some thousands of pairs. */
	size_t cells = members * rates;
	bool *used = gr_calloc(cells ? cells : 1, sizeof(*used));
	if (!used) {
		w->oom = true;
		return NULL;
	}
	size_t n = 0;
	for (size_t i = 0; i < r->ledger->count; i++) {
		uint32_t rate = r->converted[i].rate;
		if (rate == GR_NO_RATE)
			continue;
		bool *u = &used[(size_t)r->ledger->lines[i].member * rates + rate];
		n += !*u;
		*u = true;
	}
	struct xw_fx_row *pairs = gr_malloc((n ? n : 1) * sizeof(*pairs));
	if (!pairs) {
		free(used);
		w->oom = true;
		return NULL;
	}
	size_t out = 0;
	for (size_t m = 0; m < members; m++)
		for (size_t k = 0; k < rates; k++)
			if (used[m * rates + k])
				pairs[out++] = (struct xw_fx_row){ .member = m, .rate = k };
	free(used);
	sort_fx = r->fx;
	gr_sort(pairs, out, sizeof(*pairs), by_display);
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

/* ---- the exchange-rate bridge ------------------------------------------------------ */

enum { BR_MEMBER, BR_BUDGET, BR_AT_PLANNING, BR_SPENDING, BR_RATE, BR_ACTUAL,
       BR_COUNT };

/* Rows the bridge and the planning rates take (0 without budget_rates). */
static lxw_row_t bridge_rows(const struct xw *w)
{
	const struct gr_recon *r = w->r;
	if (!r->has_fx_effect)
		return 0;
	/* title, note, header, members, total; blank, title, header, rates */
	return 3 + (lxw_row_t)r->grant->member_count + 1 + 3 +
	       (lxw_row_t)(r->fx->budget_rate_count ? r->fx->budget_rate_count
	                                            : 1);
}

/* Per member: budget + spending effect + rate effect = actual. The
 * spending effect is what the same lines cost at the planning rates, less
 * the budget; the rate effect what they cost at the rates of the day, less
 * that. Only the planning-rate figure is grantrec's value: the Ledger does
 * not convert a second time. */
static void fx_bridge(struct xw *w, lxw_row_t row)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_fx *fx = r->fx;
	lxw_worksheet *ws = w->fx;
	char text[256];
	snprintf(text, sizeof(text), "Why actual differs from budget: budget + "
	         "spending effect + rate effect = actual (%s)", xw_currency(w));
	xw_text(w, ws, row, 0, text, w->h2, NULL, 0, "title");
	xw_note_block(w, ws, row + 1, 0, FC_COUNT - 1, 184, "Actual at the "
	              "planning rates: every counted line converted again, from "
	              "its own amount, at its currency's planning rate (the table "
	              "below), rounded by the grant's rule; lines in the grant "
	              "currency, and in a currency without a planning rate, count "
	              "as they are. It is grantrec's value. Spending effect = "
	              "actual at the planning rates - budget; rate effect = "
	              "actual - actual at the planning rates.", w->note_wrap);
	static const char *const head[BR_COUNT] = {
		"Member", "Budget", "Actual at the planning rates",
		"Spending effect", "Rate effect", "Actual",
	};
	for (int c = 0; c < BR_COUNT; c++)
		xw_text(w, ws, row + 2, (lxw_col_t)c, head[c],
		        c == BR_MEMBER ? w->header : w->header_num, NULL, 0, "header");
	worksheet_set_row(ws, row + 2, 30, NULL);
	lxw_row_t first = row + 3;
	w->fx_bridge_first = first;
	for (size_t m = 0; m < g->member_count; m++) {
		const struct gr_member_result *mr = &r->members[m];
		lxw_row_t at = first + (lxw_row_t)m;
		unsigned R = at + 1, F = w->funds_first_member + (unsigned)m + 1;
		xw_label_text(w, ws, at, BR_MEMBER, &w->members[m].clean, NULL);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "Funds!$D$%u", F);
		xw_formula_cents(w, ws, at, BR_BUDGET, mr->budget, w->money);
		xw_money(w, ws, at, BR_AT_PLANNING, mr->fx_effect.at_budget_rates,
		         w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "C%u-B%u", R, R);
		xw_formula_cents(w, ws, at, BR_SPENDING, mr->fx_effect.spending_effect,
		                 w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "F%u-C%u", R, R);
		xw_formula_cents(w, ws, at, BR_RATE, mr->fx_effect.rate_effect,
		                 w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "Funds!$E$%u", F);
		xw_formula_cents(w, ws, at, BR_ACTUAL, mr->actual, w->money);
	}
	const struct gr_totals *t = &r->totals;
	lxw_row_t total = first + (lxw_row_t)g->member_count;
	w->fx_bridge_total = total;
	xw_text(w, ws, total, BR_MEMBER, "Total", w->text_total, NULL, 0, "label");
	mpz_srcptr sums[BR_COUNT] = {
		NULL, t->budget, t->fx_effect.at_budget_rates,
		t->fx_effect.spending_effect, t->fx_effect.rate_effect, t->actual,
	};
	for (int c = BR_BUDGET; c < BR_COUNT; c++) {
		char col[8];
		xw_col(col, (lxw_col_t)c);
		xw_buf_reset(&w->f);
		if (g->member_count)
			xw_buf_addf(&w->f, "SUM(%s%u:%s%u)", col, first + 1, col, total);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, total, (lxw_col_t)c, sums[c], w->money_total);
	}

	/* The planning rates themselves, with where they come from. */
	row = total + 2;
	const char *file = fx->budget_rates_path
	                   ? xw_input_name(w, fx->budget_rates_path)
	                   : g->budget_rates.name ? g->budget_rates.name : "";
	snprintf(text, sizeof(text), "Planning rates (units of the currency per "
	         "1 %s), from %s", xw_currency(w), file);
	xw_text(w, ws, row, 0, text, w->h2, NULL, 0, "title");
	static const char *const rhead[] = {
		"Currency", "Planning rate", "Source file", "Source line",
	};
	for (int c = 0; c < 4; c++)
		xw_text(w, ws, row + 1, (lxw_col_t)c, rhead[c], c == 1 || c == 3
		        ? w->header_num : w->header, NULL, 0, "header");
	row += 2;
	if (fx->budget_rate_count == 0)
		xw_text(w, ws, row, 0, "No planning rate: every line counts as "
		        "spending effect.", w->note, NULL, 0, "note");
	for (size_t k = 0; k < fx->budget_rate_count; k++, row++) {
		const struct gr_budget_rate *br = &fx->budget_rates[k];
		xw_text(w, ws, row, 0, br->currency, NULL, NULL, 0, "currency");
		xw_number(w, ws, row, 1, xw_rational(br->value, 12), w->rate);
		xw_text(w, ws, row, 2, file, NULL, NULL, 0, "file");
		xw_number(w, ws, row, 3, (double)br->line, w->integer);
	}
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
	lxw_row_t first = 4;
	lxw_row_t rows = n ? (lxw_row_t)n : 1;
	lxw_row_t bridge = first + rows + 2;          /* with budget_rates */
	if (r->has_fx_effect) {
		/* Below a long list of rates: a way down to it from the top. */
		char url[64];
		snprintf(url, sizeof(url), "internal:FX!A%u", bridge + 1);
		xw_check(w, worksheet_write_url_opt(ws, 2, 0, url, NULL,
		                                    "Why actual differs from budget, "
		                                    "per member: below the rates",
		                                    NULL));
	}
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

	lxw_row_t transfers_first = first + rows + 3;
	if (r->has_fx_effect)
		transfers_first = bridge + bridge_rows(w) + 3;
	if ((size_t)transfers_first + fx->transfer_count >= LXW_ROW_MAX) {
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
			xw_number(w, ws, row, FC_RATE, xw_rate_double(rt), w->rate);
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
		xw_formula_num(w, ws, row, FC_RATE, xw_rate_double(rt), w->rate);
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
	if (r->has_fx_effect)
		fx_bridge(w, bridge);

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

	/* The bridge's amounts stand in columns B to F. */
	worksheet_set_column(ws, FC_MEMBER, FC_MEMBER, 12, NULL);
	worksheet_set_column(ws, FC_CURRENCY, FC_CURRENCY,
	                     r->has_fx_effect ? 15 : 10, NULL);
	worksheet_set_column(ws, FC_METHOD, FC_METHOD, 17, NULL);
	worksheet_set_column(ws, FC_DATE, FC_DATE, r->has_fx_effect ? 15 : 12,
	                     NULL);
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
