/*
 * sheet_funds.c: the Funds sheet: each member's funds, the donor's
 * tranches, the disbursements to members and what the lead pre-finances.
 *
 * See sheet_common.h for what every sheet writer shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/changes.h"
#include "base/util.h"
#include "report/xlsx_writer.h"
#include "report/sheet_common.h"

/* ---- Funds ------------------------------------------------------------------------ */

/* Amounts stand in column D of every table on the sheet. The quarter's
 * columns exist only with --quarter; fu() gives a column's place. */
enum { FU_MEMBER, FU_NAME, FU_ROLE, FU_BUDGET, FU_ACTUAL, FU_Q_ACTUAL,
       FU_DISBURSED, FU_Q_DISBURSED, FU_POSITION, FU_MEANING, FU_ALL };

static lxw_col_t fu(const struct xw *w, int c)
{
	if (w->has_quarter)
		return (lxw_col_t)c;
	return (lxw_col_t)(c - (c > FU_Q_ACTUAL) - (c > FU_Q_DISBURSED));
}
enum { TR_NAME, TR_SOURCE, TR_STATUS, TR_AMOUNT, TR_DUE, TR_RECEIVED,
       TR_DAYS, TR_COUNT };
enum { DB_DATE, DB_SOURCE, DB_MEMBER, DB_AMOUNT, DB_NOTE, DB_COUNT };
enum { PF_MEMBER, PF_PREFINANCED = 3, PF_COVERED, PF_OWN };
#define FUNDS_WIDTH 166

struct funds_layout {
	lxw_row_t mem_first, mem_total;
	lxw_row_t tr_h2, tr_first, tr_total, tr_received, tr_outstanding;
	lxw_row_t tr_q_received;          /* --quarter */
	lxw_row_t d_h2, d_first, d_total, d_q_total;
	lxw_row_t p_h2, p_first, p_total, p_claimable, p_over;
};

static void funds_layout(const struct xw *w, struct funds_layout *L)
{
	const struct gr_recon *r = w->r;
	lxw_row_t M = (lxw_row_t)r->grant->member_count;
	lxw_row_t T = (lxw_row_t)r->tables->tranche_count;
	lxw_row_t D = (lxw_row_t)r->tables->disbursement_count;
	L->mem_first = 5;
	L->mem_total = L->mem_first + M;
	L->tr_h2 = L->mem_total + 2;
	L->tr_first = L->tr_h2 + 2;
	L->tr_total = L->tr_first + T;
	L->tr_received = L->tr_total + 1;
	L->tr_outstanding = L->tr_total + 2;
	L->tr_q_received = L->tr_outstanding + w->has_quarter;
	L->d_h2 = L->tr_q_received + 2;
	L->d_first = L->d_h2 + 2;
	L->d_total = L->d_first + D;
	L->d_q_total = L->d_total + w->has_quarter;
	L->p_h2 = L->d_q_total + 2;
	L->p_first = L->p_h2 + 2;
	L->p_total = L->p_first + M;
	L->p_claimable = L->p_total + 1;
	L->p_over = L->p_total + 2;
}

/* What a member was given: the lead keeps what it did not pass on of the
 * tranches (rows `received` and `passed` of column D); the others get their
 * rows of the disbursements, dated from `from` (a name, or NULL for the
 * start) to `to`. */
static void disbursed_formula(struct xw *w, const struct funds_layout *L,
                              size_t m, const char *mcell, lxw_row_t received,
                              lxw_row_t passed, const char *from,
                              const char *to)
{
	const struct gr_recon *r = w->r;
	unsigned DF = XR(L->d_first), DZ = XR(L->d_total) - 1;
	xw_buf_reset(&w->f);
	if (m == r->grant->lead) {
		xw_buf_addf(&w->f, "D%u-D%u", XR(received), XR(passed));
	} else if (r->tables->disbursement_count == 0) {
		xw_buf_add(&w->f, "0");
	} else if (w->members[m].exact) {
		xw_buf_addf(&w->f, "SUMPRODUCT(--EXACT(C%u:C%u,%s),", DF, DZ, mcell);
		if (from)
			xw_buf_addf(&w->f, "--(A%u:A%u>=%s),", DF, DZ, from);
		xw_buf_addf(&w->f, "--(A%u:A%u<=%s),D%u:D%u)", DF, DZ, to, DF, DZ);
	} else {
		xw_buf_addf(&w->f, "SUMIFS(D%u:D%u,C%u:C%u,", DF, DZ, DF, DZ);
		xw_add_criterion(&w->f, w->members[m].clean.text);
		if (from)
			xw_buf_addf(&w->f, ",A%u:A%u,\">=\"&%s", DF, DZ, from);
		xw_buf_addf(&w->f, ",A%u:A%u,\"<=\"&%s)", DF, DZ, to);
	}
}

static void funds_members(struct xw *w, const struct funds_layout *L)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->funds;
	char mcell[16], text[160], pos[8], act[8], dis[8];
	xw_col(pos, fu(w, FU_POSITION));
	xw_col(act, fu(w, FU_ACTUAL));
	xw_col(dis, fu(w, FU_DISBURSED));
	xw_text(w, ws, 3, 0, "Members", w->h2, NULL, 0, "title");
	static const char *const head[FU_ALL] = {
		"Member", "Name", "Role", "Budget", "Actual", "", "Disbursed", "",
		"Funds position", "Position",
	};
	for (int c = 0; c < FU_ALL; c++) {
		bool q = c == FU_Q_ACTUAL || c == FU_Q_DISBURSED;
		if (q && !w->has_quarter)
			continue;
		const char *name = head[c];
		if (q) {
			snprintf(text, sizeof(text), "%s in %s", c == FU_Q_ACTUAL
			         ? "Actual" : "Disbursed", w->quarter_head);
			name = text;
		} else if (w->has_quarter && (c == FU_ACTUAL || c == FU_DISBURSED ||
		                              c == FU_POSITION)) {
			snprintf(text, sizeof(text), "%s, %s", head[c],
			         w->cumulative_head);
			name = text;
		}
		xw_text(w, ws, 4, fu(w, c), name, c >= FU_BUDGET && c <= FU_POSITION
		        ? w->header_num : w->header, NULL, 0, "header");
	}
	if (w->has_quarter)
		worksheet_set_row(ws, 4, 45, NULL);
	for (size_t m = 0; m < g->member_count; m++) {
		const struct gr_member *mem = &g->members[m];
		const struct gr_member_result *mr = &r->members[m];
		lxw_row_t row = L->mem_first + (lxw_row_t)m;
		unsigned R = XR(row);
		xw_label_text(w, ws, row, FU_MEMBER, &w->members[m].clean, NULL);
		xw_text(w, ws, row, FU_NAME, mem->name, NULL, NULL, 0, "member name");
		xw_text(w, ws, row, FU_ROLE, mem->lead ? "lead" : "member", NULL, NULL,
		        0, "role");
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "'Budget vs Actual'!$C$%u", XR(w->bva_sub_row[m]));
		xw_formula_cents(w, ws, row, FU_BUDGET, mr->budget, w->money);
		struct xw_crit crit[3];
		snprintf(mcell, sizeof(mcell), "$A%u", R);
		xw_crit_text(&crit[0], LC_MEMBER, &w->members[m], mcell);
		xw_buf_reset(&w->f);
		xw_ledger_sum(w, &w->f, crit, 1, true);
		xw_formula_cents(w, ws, row, FU_ACTUAL, mr->actual, w->money);
		/* Disbursements after the as-of date do not count. */
		disbursed_formula(w, L, m, mcell, L->tr_received, L->d_total, NULL,
		                  "AsOf");
		xw_formula_cents(w, ws, row, fu(w, FU_DISBURSED), mr->disbursed,
		                 w->money);
		if (w->has_quarter) {
			xw_crit_quarter(&crit[1]);
			xw_buf_reset(&w->f);
			xw_ledger_sum(w, &w->f, crit, 3, true);
			xw_formula_cents(w, ws, row, FU_Q_ACTUAL, mr->quarter_actual,
			                 w->money);
			disbursed_formula(w, L, m, mcell, L->tr_q_received, L->d_q_total,
			                  "QuarterFrom", "QuarterTo");
			xw_formula_cents(w, ws, row, FU_Q_DISBURSED, mr->quarter_disbursed,
			                 w->money);
		}
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "%s%u-%s%u", dis, R, act, R);
		xw_formula_cents(w, ws, row, fu(w, FU_POSITION), mr->position,
		                 w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "IF(%s%u>0,\"unspent advance\",IF(%s%u<0,"
		            "\"pre-financed\",\"balanced\"))", pos, R, pos, R);
		int sign = mpz_sgn(mr->position);
		xw_formula_str(w, ws, row, fu(w, FU_MEANING), sign > 0
		               ? "unspent advance" : sign < 0 ? "pre-financed"
		               : "balanced", NULL);
	}
	lxw_row_t row = L->mem_total;
	xw_text(w, ws, row, FU_MEMBER, "Total", w->text_total, NULL, 0, "label");
	for (int c = FU_NAME; c <= FU_ROLE; c++)
		xw_check(w, worksheet_write_blank(ws, row, (lxw_col_t)c, w->text_total));
	mpz_t sum;
	mpz_init(sum);
	for (int c = FU_BUDGET; c <= FU_POSITION; c++) {
		if ((c == FU_Q_ACTUAL || c == FU_Q_DISBURSED) && !w->has_quarter)
			continue;
		char col[8];
		xw_col(col, fu(w, c));
		xw_buf_reset(&w->f);
		if (g->member_count)
			xw_buf_addf(&w->f, "SUM(%s%u:%s%u)", col, XR(L->mem_first), col,
			            XR(row) - 1);
		else
			xw_buf_add(&w->f, "0");
		/* The column's total: what the rows show, added up. */
		mpz_set_ui(sum, 0);
		for (size_t m = 0; m < g->member_count; m++) {
			const struct gr_member_result *mr = &r->members[m];
			mpz_add(sum, sum, c == FU_BUDGET ? mr->budget : c == FU_ACTUAL
			        ? mr->actual : c == FU_Q_ACTUAL ? mr->quarter_actual
			        : c == FU_DISBURSED ? mr->disbursed : c == FU_Q_DISBURSED
			        ? mr->quarter_disbursed : mr->position);
		}
		xw_formula_cents(w, ws, row, fu(w, c), sum, w->money_total);
	}
	mpz_clear(sum);
	xw_check(w, worksheet_write_blank(ws, row, fu(w, FU_MEANING),
	                                  w->text_total));
	w->funds_first_member = L->mem_first;
	w->funds_total_row = L->mem_total;
	w->funds_position_col = fu(w, FU_POSITION);
}

static void funds_tranches(struct xw *w, const struct funds_layout *L)
{
	const struct gr_recon *r = w->r;
	const struct gr_tables *t = r->tables;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->funds;
	char text[256];
	xw_text(w, ws, L->tr_h2, 0, "Tranches from the donor", w->h2, NULL, 0,
	        "title");
	static const char *const head[TR_COUNT] = {
		"Tranche", "Source", "Status", "Amount", "Due", "Received",
		"Days overdue",
	};
	static const bool num[TR_COUNT] = {
		false, false, false, true, false, false, true,
	};
	xw_header_row(w, ws, L->tr_h2 + 1, head, TR_COUNT, num);
	const char *file = g->tranches.name ? g->tranches.name : "tranches";
	for (size_t k = 0; k < t->tranche_count; k++) {
		const struct gr_tranche *tr = &t->tranches[k];
		const struct gr_tranche_result *res = &r->tranches[k];
		lxw_row_t row = L->tr_first + (lxw_row_t)k;
		unsigned R = XR(row);
		xw_text(w, ws, row, TR_NAME, tr->name, NULL, NULL, 0, "tranche");
		snprintf(text, sizeof(text), "%s line %ld", file, tr->line);
		xw_text(w, ws, row, TR_SOURCE, text, NULL, NULL, 0, "source");
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "IF(AND(F%u<>\"\",F%u<=AsOf),\"received\","
		            "IF(E%u<=AsOf,\"overdue\",\"outstanding\"))", R, R, R);
		xw_formula_str(w, ws, row, TR_STATUS,
		               gr_tranche_status_name(res->status), NULL);
		xw_money(w, ws, row, TR_AMOUNT, tr->amount, w->money);
		xw_date(w, ws, row, TR_DUE, tr->due, w->date);
		xw_date(w, ws, row, TR_RECEIVED, tr->received, w->date);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "IF(C%u=\"overdue\",AsOf-E%u,\"\")", R, R);
		if (res->status == GR_TRANCHE_OVERDUE)
			xw_formula_num(w, ws, row, TR_DAYS, (double)res->days_overdue,
			               w->integer);
		else
			xw_formula_str(w, ws, row, TR_DAYS, "", w->integer);
	}
	mpz_t all;
	mpz_init(all);
	mpz_add(all, r->totals.received, r->totals.outstanding);
	bool any = t->tranche_count > 0;
	unsigned F = XR(L->tr_first), Z = XR(L->tr_total) - 1;
	xw_text(w, ws, L->tr_total, 0, "Total", w->text_total, NULL, 0, "label");
	for (int c = 1; c < TR_AMOUNT; c++)
		xw_check(w, worksheet_write_blank(ws, L->tr_total, (lxw_col_t)c,
		                                  w->text_total));
	xw_buf_reset(&w->f);
	if (any)
		xw_buf_addf(&w->f, "SUM(D%u:D%u)", F, Z);
	else
		xw_buf_add(&w->f, "0");
	xw_formula_cents(w, ws, L->tr_total, TR_AMOUNT, all, w->money_total);
	xw_text(w, ws, L->tr_received, 0, "Received", w->bold, NULL, 0, "label");
	xw_buf_reset(&w->f);
	if (any)
		xw_buf_addf(&w->f, "SUMIFS(D%u:D%u,C%u:C%u,\"received\")", F, Z, F, Z);
	else
		xw_buf_add(&w->f, "0");
	xw_formula_cents(w, ws, L->tr_received, TR_AMOUNT, r->totals.received,
	                 w->money_sub);
	xw_text(w, ws, L->tr_outstanding, 0, "Outstanding", w->bold, NULL, 0,
	        "label");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "D%u-D%u", XR(L->tr_total), XR(L->tr_received));
	xw_formula_cents(w, ws, L->tr_outstanding, TR_AMOUNT, r->totals.outstanding,
	                 w->money_sub);
	if (w->has_quarter) {
		snprintf(text, sizeof(text), "Received in %s", w->quarter_head);
		xw_text(w, ws, L->tr_q_received, 0, text, w->bold, NULL, 0, "label");
		xw_buf_reset(&w->f);
		if (any)
			xw_buf_addf(&w->f, "SUMIFS(D%u:D%u,C%u:C%u,\"received\",F%u:F%u,"
			            "\">=\"&QuarterFrom)", F, Z, F, Z, F, Z);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, L->tr_q_received, TR_AMOUNT,
		                 r->totals.quarter_received, w->money_sub);
	}
	mpz_clear(all);
	w->funds_tranche_first = L->tr_first;
	w->funds_tranche_total = L->tr_total;
	w->funds_received_row = L->tr_received;
	w->funds_outstanding_row = L->tr_outstanding;
	w->funds_q_received_row = L->tr_q_received;
}

static void funds_disbursements(struct xw *w, const struct funds_layout *L)
{
	const struct gr_recon *r = w->r;
	const struct gr_tables *t = r->tables;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->funds;
	char text[256];
	xw_text(w, ws, L->d_h2, 0, "Funds passed on by the lead", w->h2, NULL, 0,
	        "title");
	static const char *const head[DB_COUNT] = {
		"Date", "Source", "Member", "Amount", "",
	};
	static const bool num[DB_COUNT] = {false, false, false, true, false};
	xw_header_row(w, ws, L->d_h2 + 1, head, DB_COUNT, num);
	const char *file = g->disbursements.name ? g->disbursements.name
	                                         : "disbursements";
	for (size_t k = 0; k < t->disbursement_count; k++) {
		const struct gr_disbursement *d = &t->disbursements[k];
		lxw_row_t row = L->d_first + (lxw_row_t)k;
		xw_date(w, ws, row, DB_DATE, d->date, w->date_left);
		snprintf(text, sizeof(text), "%s line %ld", file, d->line);
		xw_text(w, ws, row, DB_SOURCE, text, NULL, NULL, 0, "source");
		if (d->member < g->member_count)
			xw_label_text(w, ws, row, DB_MEMBER, &w->members[d->member].clean,
			              NULL);
		xw_money(w, ws, row, DB_AMOUNT, d->amount, w->money);
		if (d->date > r->as_of)
			xw_text(w, ws, row, DB_NOTE, "after the as-of date: not counted",
			        w->note, NULL, 0, "note");
	}
	xw_text(w, ws, L->d_total, 0, "Total", w->text_total, NULL, 0, "label");
	for (int c = 1; c < DB_AMOUNT; c++)
		xw_check(w, worksheet_write_blank(ws, L->d_total, (lxw_col_t)c,
		                                  w->text_total));
	xw_buf_reset(&w->f);
	if (t->disbursement_count)
		xw_buf_addf(&w->f, "SUMIFS(D%u:D%u,A%u:A%u,\"<=\"&AsOf)",
		            XR(L->d_first), XR(L->d_total) - 1, XR(L->d_first),
		            XR(L->d_total) - 1);
	else
		xw_buf_add(&w->f, "0");
	xw_formula_cents(w, ws, L->d_total, DB_AMOUNT, r->totals.disbursed,
	                 w->money_total);
	w->funds_disb_total = L->d_total;
	if (w->has_quarter) {
		snprintf(text, sizeof(text), "Passed on in %s", w->quarter_head);
		xw_text(w, ws, L->d_q_total, 0, text, w->bold, NULL, 0, "label");
		xw_buf_reset(&w->f);
		if (t->disbursement_count)
			xw_buf_addf(&w->f, "SUMIFS(D%u:D%u,A%u:A%u,\">=\"&QuarterFrom,"
			            "A%u:A%u,\"<=\"&QuarterTo)", XR(L->d_first),
			            XR(L->d_total) - 1, XR(L->d_first), XR(L->d_total) - 1,
			            XR(L->d_first), XR(L->d_total) - 1);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, L->d_q_total, DB_AMOUNT,
		                 r->totals.quarter_disbursed, w->money_sub);
		w->funds_q_disb_row = L->d_q_total;
	}
}

static void funds_prefinancing(struct xw *w, const struct funds_layout *L)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_totals *t = &r->totals;
	lxw_worksheet *ws = w->funds;
	xw_text(w, ws, L->p_h2, 0, "What the outstanding tranches will cover",
	        w->h2, NULL, 0, "title");
	static const char *const head[] = {
		"Member", "", "", "Pre-financed", "Covered by the donor",
		"Own contribution",
	};
	static const bool num[] = {false, false, false, true, true, true};
	xw_header_row(w, ws, L->p_h2 + 1, head, 6, num);
	worksheet_set_row(ws, L->p_h2 + 1, 30, NULL);
	char pos[8];
	for (size_t m = 0; m < g->member_count; m++) {
		const struct gr_cover *c = &r->members[m].cover;
		lxw_row_t row = L->p_first + (lxw_row_t)m;
		unsigned R = XR(row);
		xw_label_text(w, ws, row, PF_MEMBER, &w->members[m].clean, NULL);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "MAX(0,-%s%u)", xw_col(pos, w->funds_position_col),
		            XR(L->mem_first + (lxw_row_t)m));
		xw_formula_cents(w, ws, row, PF_PREFINANCED, c->prefinanced, w->money);
		/* The share is grantrec's: pro rata, the odd cents to the largest
		 * remainders, which no short formula says. */
		xw_money(w, ws, row, PF_COVERED, c->covered, w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "D%u-E%u", R, R);
		xw_formula_cents(w, ws, row, PF_OWN, c->own_contribution, w->money);
	}
	unsigned F = XR(L->p_first), Z = XR(L->p_total) - 1;
	xw_text(w, ws, L->p_total, 0, "Total", w->text_total, NULL, 0, "label");
	for (int c = 1; c < PF_PREFINANCED; c++)
		xw_check(w, worksheet_write_blank(ws, L->p_total, (lxw_col_t)c,
		                                  w->text_total));
	const mpz_t *totals[] = {
		&t->cover.prefinanced, &t->cover.covered, &t->cover.own_contribution,
	};
	for (int c = PF_PREFINANCED; c <= PF_OWN; c++) {
		char col[8];
		xw_col(col, (lxw_col_t)c);
		xw_buf_reset(&w->f);
		if (g->member_count)
			xw_buf_addf(&w->f, "SUM(%s%u:%s%u)", col, F, col, Z);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, L->p_total, (lxw_col_t)c,
		                 *totals[c - PF_PREFINANCED], w->money_total);
	}
	xw_text(w, ws, L->p_claimable, 0, "Still to come from the donor",
	        w->bold, NULL, 0, "label");
	xw_buf_reset(&w->f);
	/* The donor pays at most the ceiling and at most what was spent. */
	xw_buf_addf(&w->f, "MIN(D%u,MAX(0,MIN(GrantAmount,E%u)-D%u))",
	            XR(L->tr_outstanding), XR(L->mem_total), XR(L->tr_received));
	xw_formula_cents(w, ws, L->p_claimable, 3, t->claimable, w->money_sub);
	w->funds_claimable_row = L->p_claimable;
	xw_note_block(w, ws, L->p_claimable, 4, 7, 66, "outstanding, within "
	              "the ceiling and the actual", w->note_wrap);
	xw_text(w, ws, L->p_over, 0, "Over the ceiling", w->bold, NULL, 0,
	        "label");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "MAX(0,E%u-GrantAmount)", XR(L->mem_total));
	xw_formula_cents(w, ws, L->p_over, 3, t->over_ceiling, w->money_sub);
	xw_note_block(w, ws, L->p_over, 4, 7, 66, "actual above the grant "
	              "amount", w->note_wrap);
	xw_note_block(w, ws, L->p_over + 1, 0, 7, FUNDS_WIDTH, "The donor still "
	              "pays what is to come; it covers pre-financing pro rata, in "
	              "cents, the odd cents going to the largest remainders. The "
	              "rest of each member's pre-financing, like any spending "
	              "above the ceiling, is the member's own contribution.",
	              w->note_wrap);
}

void xw_sheet_funds(struct xw *w)
{
	lxw_worksheet *ws = w->funds;
	char text[128];
	struct funds_layout L;
	funds_layout(w, &L);
	w->funds_own_total_row = L.p_total;  /* the Summary's Rules refer to it */
	snprintf(text, sizeof(text), "Funds (%s)", xw_currency(w));
	xw_title(w, ws, text, w->has_quarter
	         ? "Funds position = disbursed - actual: positive is an unspent "
	           "advance, negative is pre-financed from the member's own funds. "
	           "The lead's disbursed is what it kept of the tranches received: "
	           "received minus everything it passed on. The quarter's columns "
	           "count what is dated from QuarterFrom to QuarterTo (Summary); the "
	           "others everything to the end of the quarter."
	         : "Funds position = disbursed - actual: positive is an unspent "
	           "advance, negative is pre-financed from the member's own funds. "
	           "The lead's disbursed is what it kept of the tranches received: "
	           "received minus everything it passed on.", fu(w, FU_ALL) - 1,
	         FUNDS_WIDTH + (w->has_quarter ? 32 : 0));
	funds_members(w, &L);
	funds_tranches(w, &L);
	funds_disbursements(w, &L);
	funds_prefinancing(w, &L);
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 1, 40, NULL);
	worksheet_set_column(ws, 2, 2, 14, NULL);
	worksheet_set_column(ws, 3, fu(w, FU_POSITION), 16, NULL);
	worksheet_set_column(ws, fu(w, FU_MEANING), fu(w, FU_MEANING), 18, NULL);
	xw_print_setup(ws, 4);
}
