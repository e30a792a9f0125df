#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grantrec/report.h"
#include "util.h"

enum gr_status gr_output_open(struct gr_output *out, const char *path,
                              struct gr_diags *diags)
{
	memset(out, 0, sizeof(*out));
	char *dir = gr_path_dir(path);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	out->path = gr_strdup(path);
	out->tmp_path = dir ? gr_asprintf("%s/.%s.XXXXXX", dir, base) : NULL;
	free(dir);
	if (!out->path || !out->tmp_path) {
		gr_output_abort(out);
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	int fd = mkstemp(out->tmp_path);
	if (fd < 0) {
		gr_error(diags, path, 0, "cannot create a file in its folder: %s",
		         strerror(errno));
		free(out->tmp_path);
		out->tmp_path = NULL;
		gr_output_abort(out);
		return GR_E_SYSTEM;
	}
	/* mkstemp makes 0600; an output is an ordinary file for its reader. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	out->file = fdopen(fd, "wb");
	if (!out->file) {
		close(fd);
		gr_error(diags, path, 0, "cannot write: %s", strerror(errno));
		gr_output_abort(out);
		return GR_E_SYSTEM;
	}
	return GR_OK;
}

enum gr_status gr_output_commit(struct gr_output *out, struct gr_diags *diags)
{
	bool ok = true;
	int err = 0;
	if (out->file) {
		if (fflush(out->file) != 0 || ferror(out->file) ||
		    fsync(fileno(out->file)) != 0) {
			ok = false;
			err = errno;
		}
		if (fclose(out->file) != 0 && ok) {
			ok = false;
			err = errno;
		}
		out->file = NULL;
	}
	if (ok && rename(out->tmp_path, out->path) != 0) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		gr_error(diags, out->path, 0, "cannot write: %s", strerror(err));
		gr_output_abort(out);
		return GR_E_SYSTEM;
	}
	free(out->tmp_path);
	out->tmp_path = NULL;
	gr_output_abort(out);
	return GR_OK;
}

void gr_output_abort(struct gr_output *out)
{
	if (out->file) {
		fclose(out->file);
		out->file = NULL;
	}
	if (out->tmp_path) {
		unlink(out->tmp_path);
		free(out->tmp_path);
		out->tmp_path = NULL;
	}
	free(out->path);
	out->path = NULL;
}
