#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grantrec/report.h"
#include "base/util.h"

/* Temporary files still open. The allocation hook ends the process with
 * exit(3) when GMP cannot allocate (GMP cannot fail softly); an exit in
 * the middle of writing must not leave a temporary file behind. */
#define MAX_PENDING 8
static char *pending[MAX_PENDING];

static void remove_pending(void)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending[i])
			unlink(pending[i]);
}

static void track(char *tmp_path)
{
	static bool registered;
	if (!registered)
		registered = atexit(remove_pending) == 0;
	for (int i = 0; i < MAX_PENDING; i++)
		if (!pending[i]) {
			pending[i] = tmp_path;
			return;
		}
}

static void untrack(const char *tmp_path)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending[i] == tmp_path)
			pending[i] = NULL;
}

/* Where a symbolic link points, resolved against the link's folder; the
 * file need not exist yet (a link made ready for the first output). */
static char *link_target(const char *path)
{
	char *resolved = realpath(path, NULL);
	if (resolved)
		return resolved;
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *dir = gr_path_dir(path);
	char *joined = dir ? gr_path_join(dir, buf) : NULL;
	free(dir);
	return joined;
}

enum gr_status gr_output_open(struct gr_output *out, const char *path,
                              struct gr_diags *diags)
{
	memset(out, 0, sizeof(*out));
	/* A symbolic link is followed: the file it names is replaced, the link
	 * stays. Something that is not a regular file (a device such as
	 * /dev/stdout or /dev/full, a pipe) cannot be replaced by renaming:
	 * it is written directly, and its errors are still reported. */
	char *target = NULL;
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		target = link_target(path);
	out->path = target ? target : gr_strdup(path);
	if (!out->path) {
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	if (stat(out->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			gr_error(diags, path, 0, "is a folder: give a file name");
			gr_output_abort(out);
			return GR_E_SYSTEM;
		}
		out->direct = true;
		out->file = fopen(out->path, "wb");
		if (!out->file) {
			gr_error(diags, path, 0, "cannot write: %s", strerror(errno));
			gr_output_abort(out);
			return GR_E_SYSTEM;
		}
		return GR_OK;
	}
	char *dir = gr_path_dir(out->path);
	const char *base = strrchr(out->path, '/');
	base = base ? base + 1 : out->path;
	out->tmp_path = dir ? gr_asprintf("%s/.%s.XXXXXX", dir, base) : NULL;
	free(dir);
	if (!out->tmp_path) {
		gr_output_abort(out);
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	int fd = mkstemp(out->tmp_path);
	if (fd >= 0)
		track(out->tmp_path);
	if (fd < 0) {
		gr_error(diags, path, 0, "cannot create a file in its folder: %s",
		         strerror(errno));
		free(out->tmp_path);
		out->tmp_path = NULL;
		gr_output_abort(out);
		return GR_E_SYSTEM;
	}
	/* mkstemp makes 0600; the file replaced keeps its mode, a new one
	 * gets the ordinary mode of the user's umask. */
	mode_t mask = umask(0);
	umask(mask);
	struct stat old;
	fchmod(fd, stat(out->path, &old) == 0 ? (old.st_mode & 07777)
	                                       : (0666 & ~mask));
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
		    (!out->direct && fsync(fileno(out->file)) != 0)) {
			ok = false;
			err = errno;
		}
		if (fclose(out->file) != 0 && ok) {
			ok = false;
			err = errno;
		}
		out->file = NULL;
	}
	if (ok && !out->direct && rename(out->tmp_path, out->path) != 0) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		gr_error(diags, out->path, 0, "cannot write: %s", strerror(err));
		gr_output_abort(out);
		return GR_E_SYSTEM;
	}
	untrack(out->tmp_path);
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
		untrack(out->tmp_path);
		free(out->tmp_path);
		out->tmp_path = NULL;
	}
	free(out->path);
	out->path = NULL;
}
