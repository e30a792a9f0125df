/*
 * fuzz_grant_ini: grant.ini through gr_grant_load (inih and every check of
 * docs/formats.md section 2). gr_grant_load reads no other file, so the
 * paths it resolves are never opened here.
 *
 * Input: the whole file.
 *
 * Checked: no crash, leak or sanitizer report, a status that matches the
 * messages, and on success a grant that holds what the documentation
 * promises: a name, a three-letter currency, an amount above zero, start
 * on or before end, a threshold of zero or more, at least one member and
 * exactly one lead, every member with ledger entries, an fx method whose
 * table is named, and a profile whose decimal and group marks differ and
 * whose column names are distinct.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "grantrec/grant.h"

static struct fz_file ini;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		fz_file_open(&ini, "grant.ini");
		ready = true;
	}
	fz_file_set(&ini, data, size);
	struct gr_grant g;
	gr_grant_init(&g);
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	enum gr_status st = gr_grant_load(&g, ini.path, &inputs, &diags);
	FZ_CHECK(st == GR_OK || st == GR_E_INPUT, "status %d", (int)st);
	FZ_CHECK((st == GR_OK) == (diags.errors == 0),
	         "status %d with %zu errors", (int)st, diags.errors);
	for (size_t i = 0; i < diags.count; i++) {
		FZ_CHECK(diags.items[i].message && *diags.items[i].message,
		         "an empty message");
		FZ_CHECK(diags.items[i].line >= 0, "line %ld", diags.items[i].line);
	}
	if (st == GR_OK) {
		FZ_CHECK(g.name && *g.name, "no name");
		FZ_CHECK(strlen(g.currency) == 3, "currency '%s'", g.currency);
		for (int k = 0; k < 3; k++)
			FZ_CHECK(g.currency[k] >= 'A' && g.currency[k] <= 'Z',
			         "currency '%s'", g.currency);
		FZ_CHECK(mpz_sgn(g.amount) > 0, "amount");
		FZ_CHECK(g.start != GR_NO_DATE && g.end != GR_NO_DATE &&
		         g.start <= g.end, "period");
		FZ_CHECK(mpz_sgn(g.threshold.coef) >= 0 && g.threshold.scale <= 4,
		         "threshold");
		FZ_CHECK(g.budget.path && g.tranches.path, "budget and tranches");
		FZ_CHECK(g.member_count >= 1, "no member");
		size_t leads = 0;
		for (size_t i = 0; i < g.member_count; i++) {
			const struct gr_member *m = &g.members[i];
			leads += m->lead;
			FZ_CHECK(m->id && *m->id && m->name && *m->name, "member id");
			FZ_CHECK(m->ledger_entry_count >= 1 && m->ledger_path,
			         "member %s: no ledger", m->id);
			for (size_t e = 0; e < m->ledger_entry_count; e++)
				FZ_CHECK(m->ledger_entries[e] && *m->ledger_entries[e] &&
				         m->ledger_entry_paths[e], "member %s: entry %zu",
				         m->id, e);
			const struct gr_file_ref *need =
				m->fx == GR_FX_DAILY ? &g.daily_rates
				: m->fx == GR_FX_MONTHLY ? &g.monthly_rates : &g.transfers;
			FZ_CHECK(need->path, "member %s: no table for its fx", m->id);
			const struct gr_profile *p = &m->profile;
			FZ_CHECK(strchr(",;\t|", p->delimiter) && p->delimiter,
			         "delimiter");
			FZ_CHECK(p->number.decimal_mark == '.' ||
			         p->number.decimal_mark == ',', "decimal mark");
			FZ_CHECK(p->number.group_mark != p->number.decimal_mark,
			         "member %s: decimal and group mark are both '%c'",
			         m->id, p->number.decimal_mark);
			for (int c = 0; c < GR_COL_COUNT; c++) {
				FZ_CHECK(p->columns[c] && *p->columns[c], "column %d", c);
				for (int d = 0; d < c; d++)
					FZ_CHECK(strcmp(p->columns[c], p->columns[d]) != 0,
					         "member %s: columns %d and %d are both '%s'",
					         m->id, d, c, p->columns[c]);
			}
			for (size_t j = 0; j < i; j++)
				FZ_CHECK(strcmp(g.members[j].id, m->id) != 0,
				         "member '%s' twice", m->id);
		}
		FZ_CHECK(leads == 1 && g.lead < g.member_count &&
		         g.members[g.lead].lead, "%zu leads", leads);
	}
	gr_grant_release(&g);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
	return 0;
}
