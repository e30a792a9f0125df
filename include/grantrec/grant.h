/*
 * grant.h: grant.ini, the description of a grant and its members.
 *
 * gr_grant_load() reads grant.ini with inih, checks every key and value and
 * resolves the files it names against the folder of grant.ini. It reads no
 * other file. Unknown sections and keys are errors, so that a typo such as
 * "treshold" cannot pass unnoticed.
 */
#ifndef GRANTREC_GRANT_H
#define GRANTREC_GRANT_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "grantrec/date.h"
#include "grantrec/decimal.h"
#include "grantrec/diag.h"
#include "grantrec/inputs.h"

enum gr_fx_method {
	GR_FX_DAILY,
	GR_FX_MONTHLY,
	GR_FX_TRANSFER_AVERAGE,
};

const char *gr_fx_method_name(enum gr_fx_method method);

enum gr_quarters {
	GR_QUARTERS_GRANT,    /* three-month periods counted from the start */
	GR_QUARTERS_CALENDAR, /* January-March, ... */
};

/* The canonical ledger columns; the first five are required. */
enum gr_column {
	GR_COL_DATE,
	GR_COL_AMOUNT,
	GR_COL_CURRENCY,
	GR_COL_BUDGET_LINE,
	GR_COL_VOUCHER,
	GR_COL_COUNTRY,
	GR_COL_DESCRIPTION,
	GR_COL_COUNT,
};

#define GR_COL_REQUIRED 5

const char *gr_column_name(enum gr_column column);

/* How one member's accounting system exports its ledger. */
struct gr_profile {
	char delimiter;
	struct gr_number_style number;
	enum gr_date_format date_format;
	enum gr_encoding encoding;
	char *columns[GR_COL_COUNT]; /* header names in this export */
};

struct gr_member {
	char *id;
	char *name;
	bool lead;
	enum gr_fx_method fx;
	char *ledger_name;  /* the value as written in grant.ini */
	char *ledger_path;  /* the first entry, resolved */
	/* `ledger` is a comma-separated list of files or folders (a folder
	 * stands for its *.csv files in name order): each entry as written and
	 * resolved against the folder of grant.ini. */
	char **ledger_entries;
	char **ledger_entry_paths;
	size_t ledger_entry_count;
	struct gr_profile profile;
	long ini_line;      /* line of the [member ...] header */
	/* IATI organisation identifier and type (OrganisationType code);
	 * NULL when not given: only `grantrec export iati` needs them. */
	char *org_ref;
	char *org_type;
};

/* A file named in [grant]: its name as written and its resolved path;
 * both NULL when the key is absent. */
struct gr_file_ref {
	char *name;
	char *path;
	long ini_line;
};

/* A budget revision approved by the donor: [budget revision N] with its
 * `file` and `approved` date. The original budget is [grant] budget. */
struct gr_budget_revision {
	unsigned number;          /* N, 2 or more */
	struct gr_file_ref file;
	gr_date approved;
	long approved_line;
	long ini_line;            /* line of the section header */
};

/* How the agreement's own-contribution rule is stated. */
enum gr_own_contribution {
	GR_OWN_NONE,
	GR_OWN_PERCENT,           /* a share of total costs */
	GR_OWN_AMOUNT,            /* an amount in the grant currency */
};

/* The donor's rules from the grant agreement: [rules] in grant.ini. A
 * rule not given is not checked. Percentages are exact decimals. */
struct gr_rules {
	bool max_shift_set;
	struct gr_dec max_shift;      /* percent of a budget line's budget */
	long max_shift_line;
	bool indirect_cap_set;
	struct gr_dec indirect_cap;   /* percent of direct eligible costs */
	long indirect_cap_line;
	char **indirect_lines;        /* budget lines that are indirect costs */
	size_t indirect_line_count;
	long indirect_lines_line;
	enum gr_own_contribution own_kind;
	struct gr_dec own_percent;    /* GR_OWN_PERCENT */
	mpz_t own_amount;             /* cents, GR_OWN_AMOUNT */
	long own_line;
	long section_line;            /* line of [rules]; 0 when absent */
};

struct gr_grant {
	char *ini_path;
	char *dir;
	char *name;
	char *donor;
	char *reference;
	char currency[4];
	mpz_t amount;             /* cents */
	gr_date start;
	gr_date end;
	struct gr_dec threshold;  /* percent */
	enum gr_rounding rounding;
	enum gr_quarters quarters;
	struct gr_file_ref budget;
	struct gr_file_ref tranches;
	struct gr_file_ref disbursements;
	struct gr_file_ref comments;
	struct gr_file_ref daily_rates;
	struct gr_file_ref monthly_rates;
	struct gr_file_ref transfers;
	struct gr_file_ref declared;      /* member,quarter,amount: as reported */
	struct gr_file_ref budget_rates;  /* currency,rate: the planning rates */
	struct gr_member *members;
	size_t member_count;
	size_t lead;              /* index of the lead member */
	/* Budget revisions, in order of their number. */
	struct gr_budget_revision *revisions;
	size_t revision_count;
	struct gr_rules rules;
	/* IATI: the activity's identifier and the donor's organisation
	 * identifier and type; NULL when not given. */
	char *iati_identifier;
	char *donor_org_ref;
	char *donor_org_type;
};

void gr_grant_init(struct gr_grant *grant);
void gr_grant_release(struct gr_grant *grant);

/* Reads and checks grant.ini; adds it to `inputs`. GR_E_INPUT with
 * messages in `diags` when anything is wrong. */
enum gr_status gr_grant_load(struct gr_grant *grant, const char *ini_path,
                             struct gr_inputs *inputs, struct gr_diags *diags);

/* Index of the member with this id, or -1. */
long gr_grant_find_member(const struct gr_grant *grant, const char *id);

#endif
