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
};

/* A file named in [grant]: its name as written and its resolved path;
 * both NULL when the key is absent. */
struct gr_file_ref {
	char *name;
	char *path;
	long ini_line;
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
