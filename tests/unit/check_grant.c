/*
 * check_grant.c: grant.ini in, struct gr_grant out; every error with the
 * line it points at.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grantrec/grant.h"
#include "grantrec/inputs.h"
#include "base/util.h"
#include "unit.h"

/* Runs `fn` with the working directory set to `dir`, then restores it. */
struct cwd_guard {
	char saved[4096];
};

static void enter(struct cwd_guard *g, const char *dir)
{
	ck_assert_ptr_nonnull(getcwd(g->saved, sizeof(g->saved)));
	ck_assert_int_eq(chdir(dir), 0);
}

static void leave(struct cwd_guard *g)
{
	ck_assert_int_eq(chdir(g->saved), 0);
}

static const char valid_ini[] =
	"; a grant for the unit tests\n"              /* 1 */
	"[grant]\n"                                   /* 2 */
	"name = Test grant\n"                         /* 3 */
	"donor = Some Ministry\n"                     /* 4 */
	"reference = REF-1\n"                         /* 5 */
	"currency = EUR\n"                            /* 6 */
	"amount = 1000.50\n"                          /* 7 */
	"start = 2021-05-15\n"                        /* 8 */
	"end = 2022-05-14\n"                          /* 9 */
	"threshold = 12.5   ; percent\n"              /* 10 */
	"rounding = half-even\n"                      /* 11 */
	"quarters = calendar\n"                       /* 12 */
	"budget = budget.csv\n"                       /* 13 */
	"tranches = ./tranches.csv\n"                 /* 14 */
	"disbursements = disbursements.csv\n"         /* 15 */
	"comments = comments.csv\n"                   /* 16 */
	"daily_rates = ../fx-rates/daily.csv\n"       /* 17 */
	"monthly_rates = /abs/monthly.csv\n"          /* 18 */
	"transfers = rates/../rates/transfers.csv\n"  /* 19 */
	"\n"                                          /* 20 */
	"[member lead]\n"                             /* 21 */
	"name = Lead NGO\n"                           /* 22 */
	"role = lead\n"                               /* 23 */
	"ledger = lead.csv\n"                         /* 24 */
	"fx = transfer-average\n"                     /* 25 */
	"delimiter = semicolon\n"                     /* 26 */
	"decimal = comma\n"                           /* 27 */
	"thousands = point\n"                         /* 28 */
	"date_format = DD-MM-YYYY\n"                  /* 29 */
	"encoding = windows-1252\n"                   /* 30 */
	"col.date = Boekdatum\n"                      /* 31 */
	"col.amount = Bedrag\n"                       /* 32 */
	"col.description = Omschrijving\n"           /* 33 */
	"\n"                                          /* 34 */
	"[member m2]\n"                               /* 35 */
	"role = member\n"                             /* 36 */
	"ledger = ../ledgers/m2.csv\n"                /* 37 */
	"fx = monthly\n"                              /* 38 */
	"delimiter = tab\n"                           /* 39 */
	"thousands = space\n"                         /* 40 */
	"date_format = MM/DD/YYYY\n"                  /* 41 */
	"\n"                                          /* 42 */
	"[member m-3_x]\n"                            /* 43 */
	"role = member\n"                             /* 44 */
	"ledger = m3.csv\n"                           /* 45 */
	"fx = daily\n"                                /* 46 */
	"delimiter = pipe\n"                          /* 47 */
	"thousands = apostrophe\n"                    /* 48 */
	"date_format = DD.MM.YYYY\n";                 /* 49, the last line */

START_TEST(test_valid)
{
	char *top = ut_mkdir("grant");
	char *dir = ut_path(top, "dir");
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	char *ini = ut_write(dir, "grant.ini", valid_ini);
	struct cwd_guard g;
	enter(&g, top);

	struct gr_grant grant;
	gr_grant_init(&grant);
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	enum gr_status st = gr_grant_load(&grant, "dir/grant.ini", &inputs, &diags);
	ck_assert_msg(st == GR_OK, "status %d:%s", st, ut_diags_text(&diags));
	ck_assert_uint_eq(diags.count, 0);

	ck_assert_str_eq(grant.name, "Test grant");
	ck_assert_str_eq(grant.donor, "Some Ministry");
	ck_assert_str_eq(grant.reference, "REF-1");
	ck_assert_str_eq(grant.currency, "EUR");
	ut_assert_z(grant.amount, "100050");
	ck_assert_int_eq(grant.start, gr_date_from_ymd(2021, 5, 15));
	ck_assert_int_eq(grant.end, gr_date_from_ymd(2022, 5, 14));
	ut_assert_z(grant.threshold.coef, "125");
	ck_assert_int_eq(grant.threshold.scale, 1);
	ck_assert_int_eq(grant.rounding, GR_ROUND_HALF_EVEN);
	ck_assert_int_eq(grant.quarters, GR_QUARTERS_CALENDAR);

	/* files: the name as written, the path resolved against dir/ */
	ck_assert_str_eq(grant.budget.name, "budget.csv");
	ck_assert_str_eq(grant.budget.path, "dir/budget.csv");
	ck_assert_int_eq(grant.budget.ini_line, 13);
	ck_assert_str_eq(grant.tranches.name, "./tranches.csv");
	ck_assert_str_eq(grant.tranches.path, "dir/tranches.csv");
	ck_assert_str_eq(grant.disbursements.path, "dir/disbursements.csv");
	ck_assert_str_eq(grant.comments.path, "dir/comments.csv");
	ck_assert_str_eq(grant.daily_rates.name, "../fx-rates/daily.csv");
	ck_assert_str_eq(grant.daily_rates.path, "fx-rates/daily.csv");
	ck_assert_int_eq(grant.daily_rates.ini_line, 17);
	ck_assert_str_eq(grant.monthly_rates.path, "/abs/monthly.csv");
	ck_assert_str_eq(grant.transfers.path, "dir/rates/transfers.csv");

	ck_assert_uint_eq(grant.member_count, 3);
	ck_assert_uint_eq(grant.lead, 0);
	const struct gr_member *m = &grant.members[0];
	ck_assert_str_eq(m->id, "lead");
	ck_assert_str_eq(m->name, "Lead NGO");
	ck_assert(m->lead);
	ck_assert_int_eq(m->fx, GR_FX_TRANSFER_AVERAGE);
	ck_assert_str_eq(m->ledger_name, "lead.csv");
	ck_assert_str_eq(m->ledger_path, "dir/lead.csv");
	ck_assert_int_eq(m->ini_line, 21);
	ck_assert_int_eq(m->profile.delimiter, ';');
	ck_assert_int_eq(m->profile.number.decimal_mark, ',');
	ck_assert_int_eq(m->profile.number.group_mark, '.');
	ck_assert_int_eq(m->profile.date_format, GR_DATE_DMY_DASH);
	ck_assert_int_eq(m->profile.encoding, GR_ENC_WINDOWS_1252);
	ck_assert_str_eq(m->profile.columns[GR_COL_DATE], "Boekdatum");
	ck_assert_str_eq(m->profile.columns[GR_COL_AMOUNT], "Bedrag");
	ck_assert_str_eq(m->profile.columns[GR_COL_DESCRIPTION], "Omschrijving");
	/* columns not named keep their canonical names */
	ck_assert_str_eq(m->profile.columns[GR_COL_CURRENCY], "currency");
	ck_assert_str_eq(m->profile.columns[GR_COL_BUDGET_LINE], "budget_line");
	ck_assert_str_eq(m->profile.columns[GR_COL_VOUCHER], "voucher");
	ck_assert_str_eq(m->profile.columns[GR_COL_COUNTRY], "country");

	m = &grant.members[1];
	ck_assert_str_eq(m->id, "m2");
	ck_assert(!m->lead);
	ck_assert_int_eq(m->fx, GR_FX_MONTHLY);
	ck_assert_str_eq(m->ledger_path, "ledgers/m2.csv");
	ck_assert_int_eq(m->ini_line, 35);
	ck_assert_int_eq(m->profile.delimiter, '\t');
	ck_assert_int_eq(m->profile.number.decimal_mark, '.'); /* the default */
	ck_assert_int_eq(m->profile.number.group_mark, ' ');
	ck_assert_int_eq(m->profile.date_format, GR_DATE_MDY_SLASH);
	ck_assert_int_eq(m->profile.encoding, GR_ENC_UTF8);
	for (int c = 0; c < GR_COL_COUNT; c++)
		ck_assert_str_eq(m->profile.columns[c],
		                 gr_column_name((enum gr_column)c));

	m = &grant.members[2];
	ck_assert_str_eq(m->id, "m-3_x");
	ck_assert_int_eq(m->fx, GR_FX_DAILY);
	ck_assert_int_eq(m->profile.delimiter, '|');
	ck_assert_int_eq(m->profile.number.group_mark, '\'');
	ck_assert_int_eq(m->profile.date_format, GR_DATE_DMY_DOT);

	ck_assert_int_eq(gr_grant_find_member(&grant, "m2"), 1);
	ck_assert_int_eq(gr_grant_find_member(&grant, "lead"), 0);
	ck_assert_int_eq(gr_grant_find_member(&grant, "m3"), -1);

	/* the manifest lists grant.ini with its hash and 49 lines */
	ck_assert_uint_eq(inputs.count, 1);
	ck_assert_str_eq(inputs.items[0]->role, "grant");
	ck_assert_str_eq(inputs.items[0]->name, "grant.ini");
	ck_assert_str_eq(inputs.items[0]->path, "dir/grant.ini");
	ck_assert_int_eq(inputs.items[0]->lines, 49);
	unsigned char md[32];
	char hex[65];
	ck_assert(EVP_Digest(valid_ini, strlen(valid_ini), md, NULL, EVP_sha256(),
	                     NULL) == 1);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	ck_assert_str_eq(inputs.items[0]->sha256, hex);

	gr_grant_release(&grant);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
	leave(&g);
	free(ini);
	free(dir);
	free(top);
}
END_TEST

/* [rules], budget revisions (given out of order), a member with no role
 * key, and the IATI identifiers. */
static const char rules_ini[] =
	"[grant]\nname = G\ncurrency = EUR\namount = 100.00\n"
	"start = 2021-01-01\nend = 2021-12-31\nbudget = b1.csv\n"
	"tranches = t.csv\ndaily_rates = d.csv\n"
	"iati_identifier = NL-KVK-1-4000004776\ndonor_org_ref = XM-DAC-7\n"
	"donor_org_type = 10\n"                              /* 12 */
	"[member a]\nrole = lead\nledger = a.csv\nfx = daily\n"
	"org_ref = NL-KVK-41\norg_type = 21\n"              /* 18 */
	"[member b]\nledger = b.csv\nfx = daily\n"          /* 21 */
	"[budget revision 3]\nfile = b3.csv\napproved = 2021-10-01\n" /* 24 */
	"[budget revision 2]\nfile = b2.csv\napproved = 2021-07-15\n" /* 27 */
	"[rules]\nmax_shift = 10\nindirect_lines = Indirect costs, Audit\n"
	"indirect_cap = 7.5\nown_contribution = EUR 250000.50\n"; /* 32 */

START_TEST(test_rules_revisions_iati)
{
	char *top = ut_mkdir("grant-rules");
	char *ini = ut_write(top, "grant.ini", rules_ini);
	struct gr_grant grant;
	gr_grant_init(&grant);
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	enum gr_status st = gr_grant_load(&grant, ini, &inputs, &diags);
	ck_assert_msg(st == GR_OK, "status %d:%s", st, ut_diags_text(&diags));
	ck_assert_uint_eq(grant.member_count, 2);
	ck_assert_uint_eq(grant.lead, 0);
	ck_assert(!grant.members[1].lead); /* no role key: a member */
	ck_assert_str_eq(grant.iati_identifier, "NL-KVK-1-4000004776");
	ck_assert_str_eq(grant.donor_org_ref, "XM-DAC-7");
	ck_assert_str_eq(grant.donor_org_type, "10");
	ck_assert_str_eq(grant.members[0].org_ref, "NL-KVK-41");
	ck_assert_str_eq(grant.members[0].org_type, "21");
	ck_assert_ptr_null(grant.members[1].org_ref);

	/* sorted by number, whatever the order in grant.ini */
	ck_assert_uint_eq(grant.revision_count, 2);
	ck_assert_uint_eq(grant.revisions[0].number, 2);
	ck_assert_str_eq(grant.revisions[0].file.name, "b2.csv");
	ck_assert_int_eq(grant.revisions[0].approved,
	                 gr_date_from_ymd(2021, 7, 15));
	ck_assert_uint_eq(grant.revisions[1].number, 3);
	ck_assert_int_eq(grant.revisions[1].ini_line, 22);

	const struct gr_rules *r = &grant.rules;
	ck_assert(r->max_shift_set);
	ut_assert_z(r->max_shift.coef, "10");
	ck_assert_int_eq(r->max_shift.scale, 0);
	ck_assert(r->indirect_cap_set);
	ut_assert_z(r->indirect_cap.coef, "75");
	ck_assert_int_eq(r->indirect_cap.scale, 1);
	ck_assert_uint_eq(r->indirect_line_count, 2);
	ck_assert_str_eq(r->indirect_lines[0], "Indirect costs");
	ck_assert_str_eq(r->indirect_lines[1], "Audit");
	ck_assert_int_eq(r->own_kind, GR_OWN_AMOUNT);
	ut_assert_z(r->own_amount, "25000050");
	ck_assert_int_eq(r->section_line, 28);

	gr_grant_release(&grant);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
	free(ini);
	free(top);
}
END_TEST

/* own_contribution as a share: "10", "10%" and "12.5 %". */
START_TEST(test_own_contribution_percent)
{
	static const char *const forms[] = { "10", "10%", "12.5 %" };
	static const char *const coefs[] = { "10", "10", "125" };
	char *top = ut_mkdir("grant-own");
	for (int i = 0; i < 3; i++) {
		char *text = gr_asprintf(
			"[grant]\nname = G\ncurrency = EUR\namount = 100.00\n"
			"start = 2021-01-01\nend = 2021-12-31\nbudget = b.csv\n"
			"tranches = t.csv\ndaily_rates = d.csv\n"
			"[member a]\nrole = lead\nledger = a.csv\nfx = daily\n"
			"[rules]\nown_contribution = %s\n", forms[i]);
		char *ini = ut_write(top, "grant.ini", text);
		struct gr_grant grant;
		gr_grant_init(&grant);
		struct gr_inputs inputs = {0};
		struct gr_diags diags = GR_DIAGS_INIT;
		enum gr_status st = gr_grant_load(&grant, ini, &inputs, &diags);
		ck_assert_msg(st == GR_OK, "%s:%s", forms[i], ut_diags_text(&diags));
		ck_assert_int_eq(grant.rules.own_kind, GR_OWN_PERCENT);
		ut_assert_z(grant.rules.own_percent.coef, coefs[i]);
		gr_grant_release(&grant);
		gr_inputs_release(&inputs);
		gr_diags_release(&diags);
		free(ini);
		free(text);
	}
	free(top);
}
END_TEST

/* grant.ini in the working directory: paths stay as written, cleaned. */
START_TEST(test_paths_from_current_dir)
{
	char *top = ut_mkdir("grant");
	char *ini = ut_write(top, "grant.ini",
		"[grant]\nname = G\ncurrency = EUR\namount = 100.00\n"
		"start = 2021-01-01\nend = 2021-12-31\nbudget = ./budget.csv\n"
		"tranches = ../shared/tranches.csv\ndaily_rates = a/b/../../daily.csv\n"
		"[member a]\nrole = lead\nledger = x/../a.csv\nfx = daily\n");
	struct cwd_guard g;
	enter(&g, top);
	struct gr_grant grant;
	gr_grant_init(&grant);
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	ck_assert_msg(gr_grant_load(&grant, "grant.ini", &inputs, &diags) == GR_OK,
	              "%s", ut_diags_text(&diags));
	ck_assert_str_eq(grant.budget.path, "budget.csv");
	ck_assert_str_eq(grant.tranches.path, "../shared/tranches.csv");
	ck_assert_str_eq(grant.daily_rates.path, "daily.csv");
	ck_assert_str_eq(grant.members[0].ledger_path, "a.csv");
	ck_assert_str_eq(inputs.items[0]->name, "grant.ini");
	gr_grant_release(&grant);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
	leave(&g);
	free(ini);
	free(top);
}
END_TEST

/* A UTF-8 byte-order mark, as Notepad writes one, does not hide [grant]. */
START_TEST(test_bom)
{
	char *dir = ut_mkdir("grant");
	char *ini = ut_write(dir, "grant.ini",
		"\xef\xbb\xbf[grant]\nname = G\ncurrency = EUR\namount = 100.00\n"
		"start = 2021-01-01\nend = 2021-12-31\nbudget = b.csv\n"
		"tranches = t.csv\ndaily_rates = d.csv\n"
		"[member a]\nrole = lead\nledger = a.csv\nfx = daily\n");
	struct gr_grant grant;
	gr_grant_init(&grant);
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	ck_assert_msg(gr_grant_load(&grant, ini, &inputs, &diags) == GR_OK, "%s",
	              ut_diags_text(&diags));
	ck_assert_str_eq(grant.name, "G");
	ck_assert_uint_eq(grant.member_count, 1);
	gr_grant_release(&grant);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
	free(ini);
	free(dir);
}
END_TEST

/* ---- errors ---------------------------------------------------------------- */

/* Lines 1-9 of every error case: a complete [grant] section. */
#define GRANT9                                                               \
	"[grant]\n"               /* 1 */                                         \
	"name = G\n"              /* 2 */                                         \
	"currency = EUR\n"        /* 3 */                                         \
	"amount = 100.00\n"       /* 4 */                                         \
	"start = 2021-01-01\n"    /* 5 */                                         \
	"end = 2021-12-31\n"      /* 6 */                                         \
	"budget = budget.csv\n"   /* 7 */                                         \
	"tranches = tranches.csv\n" /* 8 */                                       \
	"daily_rates = daily.csv\n" /* 9 */

/* Lines 10-13: one lead member. */
#define LEAD4                                                                \
	"[member a]\n"            /* 10 */                                        \
	"role = lead\n"           /* 11 */                                        \
	"ledger = a.csv\n"        /* 12 */                                        \
	"fx = daily\n"            /* 13 */

struct error_case {
	const char *what;
	const char *ini;
	long line;       /* the line the error must point at; 0: any */
	long alt_line;   /* another acceptable line, 0: none */
	const char *fragment;
};

static const struct error_case error_cases[] = {
	{"unknown key in [grant]", GRANT9 LEAD4 "[grant]\n" "treshold = 10\n",
	 15, 0, "treshold"},
	{"unknown key in [grant], before members",
	 "[grant]\nname = G\ncolour = red\ncurrency = EUR\namount = 100.00\n"
	 "start = 2021-01-01\nend = 2021-12-31\nbudget = b.csv\n"
	 "tranches = t.csv\ndaily_rates = d.csv\n" LEAD4, 3, 0, "colour"},
	{"unknown key in a member", GRANT9 LEAD4 "colour = red\n", 14, 0,
	 "colour"},
	{"unknown column key", GRANT9 LEAD4 "col.amont = Bedrag\n", 14, 0,
	 "col.amont"},
	{"unknown section with a key", GRANT9 LEAD4 "[budgets]\nx = 1\n", 14, 15,
	 "budgets"},
	{"unknown section without keys", GRANT9 LEAD4 "[budgets]\n", 14, 0,
	 "budgets"},
	{"unknown section without keys, between others",
	 GRANT9 "[options]\n" LEAD4, 10, 0, "options"},
	{"duplicate key in [grant]", GRANT9 "name = H\n" LEAD4, 10, 0, "name"},
	{"duplicate key in a member", GRANT9 LEAD4 "fx = monthly\n", 14, 0, "fx"},
	{"duplicate column key", GRANT9 LEAD4 "col.date = D\ncol.date = E\n", 15,
	 0, "col.date"},
	{"two leads", GRANT9 LEAD4 "[member b]\nrole = lead\nledger = b.csv\n"
	 "fx = daily\n", 15, 0, "lead"},
	{"no lead", GRANT9 "[member a]\nrole = member\nledger = a.csv\n"
	 "fx = daily\n", 0, 0, "lead"},
	{"member without ledger", GRANT9 "[member a]\nrole = lead\nfx = daily\n",
	 10, 0, "ledger"},
	{"member without fx", GRANT9 "[member a]\nrole = lead\nledger = a.csv\n",
	 10, 0, "fx"},
	{"no member with role = lead", GRANT9 "[member a]\nledger = a.csv\n"
	 "fx = daily\n", 0, 0, "none of the 1 member has role = lead"},
	{"two leads", GRANT9 LEAD4 "[member b]\nrole = lead\nledger = b.csv\n"
	 "fx = daily\n", 15, 0, "two leads: [member a] and [member b]"},
	{"revision without a number", GRANT9 LEAD4 "[budget revision]\n", 14, 0,
	 "N a whole number"},
	{"revision 1 is the original", GRANT9 LEAD4 "[budget revision 1]\n"
	 "file = b1.csv\napproved = 2021-06-01\n", 14, 0, "from 2 to 999"},
	{"revision without a file", GRANT9 LEAD4 "[budget revision 2]\n"
	 "approved = 2021-06-01\n", 14, 0, "has no file"},
	{"revision without approval", GRANT9 LEAD4 "[budget revision 2]\n"
	 "file = b2.csv\n", 14, 0, "has no approved date"},
	{"revision approved before the start", GRANT9 LEAD4
	 "[budget revision 2]\nfile = b2.csv\napproved = 2020-12-31\n", 16, 0,
	 "approved before the grant starts"},
	{"revisions out of order", GRANT9 LEAD4
	 "[budget revision 2]\nfile = b2.csv\napproved = 2021-09-01\n"
	 "[budget revision 3]\nfile = b3.csv\napproved = 2021-06-01\n", 19, 0,
	 "approved before revision 2"},
	{"revision seen twice", GRANT9 LEAD4
	 "[budget revision 2]\nfile = b2.csv\napproved = 2021-09-01\n"
	 "[budget revision 2]\n", 17, 0, "a second [budget revision 2]"},
	{"unknown key in a revision", GRANT9 LEAD4
	 "[budget revision 2]\nfile = b2.csv\napproved = 2021-09-01\n"
	 "amount = 5\n", 17, 0, "expected file or approved"},
	{"unknown rules key", GRANT9 LEAD4 "[rules]\nmax_shfit = 10\n", 15, 0,
	 "max_shfit"},
	{"negative max_shift", GRANT9 LEAD4 "[rules]\nmax_shift = -1\n", 15, 0,
	 "zero or more"},
	{"own contribution above 100%", GRANT9 LEAD4
	 "[rules]\nown_contribution = 100.01%\n", 15, 0, "own_contribution"},
	{"own contribution in another currency", GRANT9 LEAD4
	 "[rules]\nown_contribution = 5000.00 USD\n", 15, 0,
	 "in the grant currency EUR"},
	{"empty indirect line", GRANT9 LEAD4
	 "[rules]\nindirect_lines = Audit, , Indirect\n", 15, 0,
	 "budget line names separated by commas"},
	{"bad organisation type", GRANT9 LEAD4 "org_type = NGO\n", 14, 0,
	 "organisation type code"},
	{"bad fx", GRANT9 "[member a]\nrole = lead\nledger = a.csv\n"
	 "fx = weekly\n", 13, 0, "weekly"},
	{"bad role", GRANT9 "[member a]\nrole = boss\nledger = a.csv\n"
	 "fx = daily\n", 11, 0, "boss"},
	{"bad delimiter", GRANT9 LEAD4 "delimiter = colon\n", 14, 0, "colon"},
	{"bad decimal", GRANT9 LEAD4 "decimal = dot\n", 14, 0, "dot"},
	{"bad thousands", GRANT9 LEAD4 "thousands = underscore\n", 14, 0,
	 "underscore"},
	{"bad date_format", GRANT9 LEAD4 "date_format = YYYY/MM/DD\n", 14, 0,
	 "YYYY/MM/DD"},
	{"bad encoding", GRANT9 LEAD4 "encoding = latin1\n", 14, 0, "latin1"},
	{"same decimal and thousands mark", GRANT9 LEAD4
	 "decimal = comma\nthousands = comma\n", 15, 0, ""},
	{"two columns with one header name", GRANT9 LEAD4 "col.date = amount\n",
	 14, 0, "amount"},
	{"bad member id", GRANT9 "[member Lead]\nrole = lead\nledger = a.csv\n"
	 "fx = daily\n", 0, 0, "Lead"},
	{"no [grant] section", LEAD4, 0, 0, "[grant]"},
	{"second [grant] section", GRANT9 LEAD4 "[grant]\n", 14, 0, "[grant]"},
	{"fx = daily without daily_rates",
	 "[grant]\nname = G\ncurrency = EUR\namount = 100.00\n"
	 "start = 2021-01-01\nend = 2021-12-31\nbudget = b.csv\n"
	 "tranches = t.csv\n"
	 "[member a]\nrole = lead\nledger = a.csv\nfx = daily\n", 12, 0,
	 "daily_rates"},
	{"fx = monthly without monthly_rates", GRANT9 LEAD4
	 "[member b]\nrole = member\nledger = b.csv\nfx = monthly\n", 17, 0,
	 "monthly_rates"},
	{"fx = transfer-average without transfers", GRANT9
	 "[member a]\nrole = lead\nledger = a.csv\nfx = transfer-average\n", 13,
	 0, "transfers"},
	{"no currency",
	 "[grant]\nname = G\namount = 100.00\nstart = 2021-01-01\n"
	 "end = 2021-12-31\nbudget = b.csv\ntranches = t.csv\n"
	 "daily_rates = d.csv\n" LEAD4, 1, 0, "currency"},
	{"no budget",
	 "[grant]\nname = G\ncurrency = EUR\namount = 100.00\n"
	 "start = 2021-01-01\nend = 2021-12-31\ntranches = t.csv\n"
	 "daily_rates = d.csv\n" LEAD4, 1, 0, "budget"},
	{"lower-case currency", "[grant]\nname = G\ncurrency = eur\n", 3, 0,
	 "eur"},
	{"currency of four letters", "[grant]\nname = G\ncurrency = EURO\n", 3,
	 0, "EURO"},
	{"amount with a thousands comma",
	 "[grant]\nname = G\ncurrency = EUR\namount = 1,000.00\n", 4, 0,
	 "1,000.00"},
	{"amount zero",
	 "[grant]\nname = G\ncurrency = EUR\namount = 0\n", 4, 0, ""},
	{"amount negative",
	 "[grant]\nname = G\ncurrency = EUR\namount = -5.00\n", 4, 0, ""},
	{"amount with three decimals",
	 "[grant]\nname = G\ncurrency = EUR\namount = 5.001\n", 4, 0, ""},
	{"start that does not exist",
	 "[grant]\nname = G\ncurrency = EUR\namount = 5\nstart = 2021-13-01\n",
	 5, 0, "2021-13-01"},
	{"end in another layout",
	 "[grant]\nname = G\ncurrency = EUR\namount = 5\nstart = 2021-01-01\n"
	 "end = 31-12-2021\n", 6, 0, "31-12-2021"},
	{"end before start",
	 "[grant]\nname = G\ncurrency = EUR\namount = 5\nstart = 2021-01-01\n"
	 "end = 2020-12-31\n", 6, 0, ""},
	{"bad rounding", GRANT9 "rounding = half-down\n" LEAD4, 10, 0,
	 "half-down"},
	{"bad quarters", GRANT9 "quarters = fiscal\n" LEAD4, 10, 0, "fiscal"},
	{"negative threshold", GRANT9 "threshold = -1\n" LEAD4, 10, 0, ""},
	{"threshold with a percent sign", GRANT9 "threshold = 10%\n" LEAD4, 10,
	 0, ""},
	{"empty name", GRANT9 "[member a]\nname =\nrole = lead\nledger = a.csv\n"
	 "fx = daily\n", 11, 0, ""},
	{"key before any section", "x = 1\n" GRANT9 LEAD4, 1, 0, "x"},
	{"not an INI line", GRANT9 LEAD4 "just some text\n", 14, 0, ""},
	{"no member", GRANT9, 0, 0, "member"},
};

START_TEST(test_errors)
{
	const struct error_case *c = &error_cases[_i];
	char *dir = ut_mkdir("grant-err");
	char *ini = ut_write(dir, "grant.ini", c->ini);
	struct gr_grant grant;
	gr_grant_init(&grant);
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	enum gr_status st = gr_grant_load(&grant, ini, &inputs, &diags);
	const struct gr_diag *d = NULL;
	if (c->line == 0) {
		d = ut_find_diag(&diags, -1, c->fragment);
	} else {
		d = ut_find_diag(&diags, c->line, c->fragment);
		if (!d && c->alt_line)
			d = ut_find_diag(&diags, c->alt_line, c->fragment);
	}
	bool found = d != NULL;
	bool names_file = d && d->file && strcmp(d->file, ini) == 0;
	const char *all = ut_diags_text(&diags); /* a static copy */
	gr_grant_release(&grant);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
	free(ini);
	free(dir);
	ck_assert_msg(st == GR_E_INPUT, "%s: status %d, expected GR_E_INPUT:%s",
	              c->what, st, all);
	ck_assert_msg(found, "%s: no error on line %ld mentioning '%s':%s",
	              c->what, c->line, c->fragment, all);
	ck_assert_msg(names_file, "%s: the error does not name grant.ini:%s",
	              c->what, all);
}
END_TEST

/* Every mistake is reported, not just the first. */
START_TEST(test_all_errors_reported)
{
	char *dir = ut_mkdir("grant-err");
	char *ini = ut_write(dir, "grant.ini",
		GRANT9 "rounding = up\n" "[member a]\nrole = lead\nledger = a.csv\n"
		"fx = weekly\n" "colour = red\n");
	struct gr_grant grant;
	gr_grant_init(&grant);
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	ck_assert_int_eq(gr_grant_load(&grant, ini, &inputs, &diags), GR_E_INPUT);
	ck_assert_ptr_nonnull(ut_find_diag(&diags, 10, "up"));
	ck_assert_ptr_nonnull(ut_find_diag(&diags, 14, "weekly"));
	ck_assert_ptr_nonnull(ut_find_diag(&diags, 15, "colour"));
	gr_grant_release(&grant);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
	free(ini);
	free(dir);
}
END_TEST

START_TEST(test_missing_file)
{
	struct gr_grant grant;
	gr_grant_init(&grant);
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	ck_assert_int_eq(gr_grant_load(&grant, "/nonexistent/grantrec/grant.ini",
	                               &inputs, &diags), GR_E_INPUT);
	ck_assert_uint_ge(diags.errors, 1);
	gr_grant_release(&grant);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(gr_fx_method_name(GR_FX_DAILY), "daily");
	ck_assert_str_eq(gr_fx_method_name(GR_FX_MONTHLY), "monthly");
	ck_assert_str_eq(gr_fx_method_name(GR_FX_TRANSFER_AVERAGE),
	                 "transfer-average");
	ck_assert_str_eq(gr_column_name(GR_COL_DATE), "date");
	ck_assert_str_eq(gr_column_name(GR_COL_AMOUNT), "amount");
	ck_assert_str_eq(gr_column_name(GR_COL_CURRENCY), "currency");
	ck_assert_str_eq(gr_column_name(GR_COL_BUDGET_LINE), "budget_line");
	ck_assert_str_eq(gr_column_name(GR_COL_VOUCHER), "voucher");
	ck_assert_str_eq(gr_column_name(GR_COL_COUNTRY), "country");
	ck_assert_str_eq(gr_column_name(GR_COL_DESCRIPTION), "description");
}
END_TEST

static Suite *grant_suite(void)
{
	Suite *s = suite_create("grant");
	TCase *tc = tcase_create("load");
	tcase_add_test(tc, test_valid);
	tcase_add_test(tc, test_paths_from_current_dir);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_rules_revisions_iati);
	tcase_add_test(tc, test_own_contribution_percent);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_errors, 0,
	                    (int)(sizeof(error_cases) / sizeof(error_cases[0])));
	tcase_add_test(tc, test_all_errors_reported);
	tcase_add_test(tc, test_missing_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_main(grant_suite());
}
