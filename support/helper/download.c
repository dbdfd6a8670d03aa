/* `download`: fetch a source file with libcurl from a list of sites into
 * DL_DIR, verify it against .hash files, and only then rename it into place.
 *
 *   download --dl-dir DIR --file NAME [--hash-file F]... [--no-hash]
 *            [--retries N] [--max-size BYTES[K|M|G]] [--min-rate BYTES_PER_S]
 *            (--site BASE_URL | --url FULL_URL | --site-env VAR | --url-env VAR)...
 *
 * --site-env and --url-env take the site or URL from the environment
 * variable VAR: a command line is readable by every user of the machine
 * (ps, /proc/PID/cmdline), so a site that carries credentials is given
 * this way (package/pkg-generic.mk).
 *
 * Sites are tried in order; each gets N attempts (default 3) with backoff
 * for transient errors; a partial file is resumed when the server honours
 * ranges, and started over from zero when the resumed file fails
 * verification. A lock on DIR/.NAME.lock keeps two builds sharing a DL_DIR
 * apart; the lock and .part files are never followed through a symlink
 * (O_NOFOLLOW), so a link planted in a shared DL_DIR cannot redirect the
 * writes. Protocols: https, http and ftp, and file:// only for a URL given
 * as such (redirects never lead to file://). A transfer ends when it passes
 * --max-size (default 2 GiB) or stays below --min-rate (default 1024 B/s)
 * for TR_DL_LOW_SPEED_TIME seconds (default 30).
 *
 * After a verified download, DIR/.NAME.origin holds the URL it came from, for
 * the SBOM's "downloaded from" (support/scripts/sbom); it stays with the cached
 * file and goes when the file fails verification. Its format, which readers
 * may rely on: a regular file holding exactly one line, the URL followed by
 * "\n", at most ORIGIN_MAX bytes with the newline; the URL is printable ASCII
 * without blanks (0x21-0x7e), starts with "scheme://" and has no userinfo.
 *
 * Credentials: a site may be given as http://user:token@host/. The URL is
 * used as given for the transfer, but every message and the .origin file
 * carry it without its userinfo (url_without_userinfo, util.c).
 *
 * Files planted in a shared DL_DIR: writes never go through a link. A
 * symlink at the .part or .origin.tmp name is removed (removing a link
 * writes nothing); a hard link there, or a file of another user, is refused
 * and the download fails naming it (check_own_file, util.c); temporaries
 * are created with O_EXCL. On a cache hit the .origin is read without
 * following a link and kept only when it is a regular file of ours in the
 * format above, written after the cached file: one that carries userinfo
 * (written before credentials were stripped) is rewritten without it, and
 * anything else (a link, a FIFO, several lines, older than the file, which
 * was then replaced by hand) is removed, since a wrong "downloaded from" is
 * worse than none. */
#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "hashfile.h"
#include "helper.h"

#define MAX_URLS 16
/* the longest .origin line, newline included */
#define ORIGIN_MAX 4096

/* Limits of one download, from the command line (the configuration's
 * TR_DL_RETRIES, TR_DL_MAX_SIZE_MB, TR_DL_MIN_RATE). */
struct dl_limits {
	long retries;        /* attempts per site, >= 1 */
	curl_off_t max_size; /* bytes */
	long min_rate;       /* bytes per second over the low-speed window */
};

/* The .part file being written, with the size limit applied as it grows
 * (a server may send no length, or lie about it). */
struct sink {
	FILE *f;
	curl_off_t size, max;
	int too_big;
};

static size_t on_write(char *data, size_t size, size_t n, void *p)
{
	struct sink *k = p;
	size_t len = size * n;
	if (k->size + (curl_off_t)len > k->max) {
		k->too_big = 1;
		return 0; /* curl ends the transfer with CURLE_WRITE_ERROR */
	}
	if (fwrite(data, 1, len, k->f) != len)
		return 0;
	k->size += (curl_off_t)len;
	return len;
}

struct progress {
	const char *name;
	int tty;
	time_t last;
	curl_off_t offset;   /* bytes already on disk when resuming */
	struct timespec start;
};

static double since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ut, curl_off_t un)
{
	struct progress *pr = p;
	(void)ut;
	(void)un;
	time_t now = time(NULL);
	if (!pr->tty || now == pr->last || dltotal <= 0)
		return 0;
	pr->last = now;
	/* bytes, percentage, rate and time left, on one rewritten line */
	double secs = since(&pr->start);
	double rate = secs > 0 ? (double)dlnow / secs : 0;
	long long left = rate > 0 ? (long long)((double)(dltotal - dlnow) / rate) : 0;
	int width = 30;
	int done = (int)((pr->offset + dlnow) * width / (pr->offset + dltotal));
	fprintf(stderr, "\r%-24.24s [%.*s%*s] %3d%% %8lld kB %7.1f kB/s ETA %02lld:%02lld ",
		pr->name, done, "##############################", width - done, "",
		(int)((pr->offset + dlnow) * 100 / (pr->offset + dltotal)),
		(long long)(pr->offset + dlnow) / 1024, rate / 1024, left / 60, left % 60);
	return 0;
}

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);
	return v && *v ? strtol(v, NULL, 10) : def;
}

/* Open the .part file to append to (its size in *have), or create it
 * anew (O_EXCL); never through a symlink. Anything at that name that is not
 * a regular file (a planted link, say) is removed first: the lock is held,
 * so no other download owns it. A regular file with another name (a hard
 * link) or of another user is refused: *planted is set and the caller stops
 * without touching it. O_NONBLOCK: a FIFO swapped in after the lstat()
 * makes open() fail rather than wait for a reader. Returns the stream or
 * NULL. */
static FILE *open_part(const char *part, curl_off_t *have, int *planted)
{
	struct stat st;
	*have = 0;
	if (lstat(part, &st) == 0) {
		if (S_ISREG(st.st_mode))
			*have = st.st_size;
		else if (unlink(part)) {
			fprintf(stderr, "%s: %s\n", part, strerror(errno));
			return NULL;
		}
	}
	int existing = lstat(part, &st) == 0;
	int fd = existing ? open(part, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
			  : open(part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", part, strerror(errno));
		return NULL;
	}
	if (check_own_file(fd, part)) {
		*planted = 1;
		close(fd);
		return NULL;
	}
	FILE *f = fdopen(fd, "ab");
	if (!f) {
		fprintf(stderr, "%s: %s\n", part, strerror(errno));
		close(fd);
	}
	return f;
}

/* One transfer of url into part (appending from its current size); `shown`
 * is the URL for messages (without userinfo). Returns 0 on success, 1 on a
 * transient error, 2 on a permanent one, 3 when a planted .part was refused
 * (the download must stop and leave it alone). */
static int fetch(const char *url, const char *shown, const char *part, const char *name,
		 const struct dl_limits *lim)
{
	curl_off_t have;
	int planted = 0;
	FILE *f = open_part(part, &have, &planted);
	if (!f)
		return planted ? 3 : 2;
	if (have >= lim->max_size) {
		fclose(f);
		unlink(part);
		fprintf(stderr, "%s: larger than the maximum size (%lld bytes)\n", shown,
			(long long)lim->max_size);
		return 2;
	}
	struct sink sink = { f, have, lim->max_size, 0 };
	CURL *c = curl_easy_init();
	if (!c) {
		fclose(f);
		return 2;
	}
	char err[CURL_ERROR_SIZE] = "";
	struct progress pr = { name, isatty(2), 0, have, { 0, 0 } };
	clock_gettime(CLOCK_MONOTONIC, &pr.start);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	/* file:// only when the configuration names a file URL itself */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
			 strncmp(url, "file:", 5) ? "https,http,ftp" : "file");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https,http,ftp");
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, lim->max_size - have);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "tinyroot-download/1.0");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, env_long("TR_DL_CONNECT_TIMEOUT", 15));
	/* a stalled or trickling server is abandoned after LOW_SPEED_TIME
	 * seconds below the minimum rate */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, lim->min_rate);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, env_long("TR_DL_LOW_SPEED_TIME", 30));
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &pr);
	if (have)
		curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, have);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (fclose(f) != 0 && rc == CURLE_OK)
		rc = CURLE_WRITE_ERROR;
	if (pr.tty && pr.last)
		fputc('\n', stderr);
	if (rc == CURLE_OK)
		return 0;
	if (sink.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		fprintf(stderr, "%s: larger than the maximum size (%lld bytes), transfer ended\n", shown,
			(long long)lim->max_size);
		unlink(part);
		return 2;
	}
	if (status)
		fprintf(stderr, "%s: %s (curl error %d, HTTP status %ld)\n", shown,
			err[0] ? err : curl_easy_strerror(rc), rc, status);
	else
		fprintf(stderr, "%s: %s (curl error %d)\n", shown, err[0] ? err : curl_easy_strerror(rc), rc);
	if (rc == CURLE_RANGE_ERROR || rc == CURLE_BAD_DOWNLOAD_RESUME) {
		/* the server cannot resume: start over */
		unlink(part);
		return 1;
	}
	switch (rc) {
	case CURLE_HTTP_RETURNED_ERROR:
		if (status >= 500 || status == 408 || status == 429)
			return 1;
		unlink(part);
		return 2;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_TOO_MANY_REDIRECTS:
	case CURLE_URL_MALFORMAT:
	case CURLE_FILE_COULDNT_READ_FILE:
	case CURLE_REMOTE_FILE_NOT_FOUND:
	case CURLE_PEER_FAILED_VERIFICATION:
		unlink(part);
		return 2;
	default:
		return 1;
	}
}

/* Whether url starts with "scheme://" (RFC 3986 3.1: a letter, then
 * letters, digits, '+', '-' or '.'). */
static int has_scheme(const char *url)
{
	size_t scheme = strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789+-.");
	return scheme && isalpha((unsigned char)url[0]) && !strncmp(url + scheme, "://", 3);
}

/* Whether line[0..len) is an .origin line in the format of the header
 * comment: "scheme://...\n", printable ASCII without blanks, no userinfo. */
static int origin_line_ok(const char *line, size_t len)
{
	if (len < 2 || len > ORIGIN_MAX || line[len - 1] != '\n')
		return 0;
	for (size_t i = 0; i + 1 < len; i++)
		if (line[i] < 0x21 || line[i] > 0x7e)
			return 0;
	if (!has_scheme(line))
		return 0;
	char url[ORIGIN_MAX], bare[ORIGIN_MAX];
	memcpy(url, line, len - 1);
	url[len - 1] = 0;
	return url_without_userinfo(url, bare, sizeof(bare)) == 0 && !strcmp(url, bare);
}

/* Writes URL, without its userinfo, as DIR/.NAME.origin: through a
 * temporary created with O_EXCL (a leftover symlink is removed first, a
 * leftover hard link or file of another user refused), then renamed over
 * the old record (rename replaces a link, never writes through it).
 * Returns 0 when written, 1 when it could not be (a warning: the download
 * itself is good; no stale record is left), -1 when a planted temporary
 * was refused (an error). */
static int write_origin(const char *origin, const char *url)
{
	char line[ORIGIN_MAX + 1], tmp[PATH_MAX];
	size_t len = 0;
	if (url_without_userinfo(url, line, sizeof(line) - 1) == 0) {
		len = strlen(line);
		line[len++] = '\n';
	}
	if (!origin_line_ok(line, len)) {
		fprintf(stderr, "warning: %s: the URL is not one line of at most %d printable "
			"characters; not recorded\n", origin, ORIGIN_MAX - 1);
		unlink(origin);
		return 1;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", origin) >= (int)sizeof(tmp)) {
		fprintf(stderr, "warning: %s: path too long; the URL is not recorded\n", origin);
		unlink(origin);
		return 1;
	}
	struct stat st;
	if (lstat(tmp, &st) == 0) {
		if (S_ISREG(st.st_mode)) {
			/* a leftover of ours is removed; a hard link or another
			 * user's file is a plant, refused and left for a look */
			int fd = open(tmp, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			int bad = fd < 0 || check_own_file(fd, tmp);
			if (fd >= 0)
				close(fd);
			if (bad) {
				unlink(origin);
				return -1;
			}
		}
		unlink(tmp); /* a link goes, its target untouched */
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0 && write(fd, line, len) == (ssize_t)len && close(fd) == 0 &&
	    rename(tmp, origin) == 0)
		return 0;
	int e = errno;
	if (fd >= 0)
		unlink(tmp);
	fprintf(stderr, "warning: %s: cannot record the download's URL: %s\n", origin, strerror(e));
	unlink(origin);
	return 1;
}

/* On a cache hit: keeps DIR/.NAME.origin only when it is a regular file of
 * ours, in the format of the header comment, not older than the cached file
 * `final`; rewrites one that is valid but for a userinfo; removes anything
 * else (its name only: a link's target is neither read nor changed).
 * Returns what write_origin returns for a rewrite, else 0. */
static int refresh_origin(const char *origin, const char *final)
{
	int fd = open(origin, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "warning: %s: %s; removing it\n", origin,
			errno == ELOOP ? "a symbolic link, not followed" : strerror(errno));
		unlink(origin);
		return 0;
	}
	struct stat st, fst;
	char buf[ORIGIN_MAX + 1];
	ssize_t len = -1;
	const char *why = NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_nlink > 1 || st.st_uid != geteuid())
		why = "another name of a file or another user's file";
	else if ((len = read(fd, buf, sizeof(buf))) < 0)
		why = strerror(errno);
	else if (len == 0 || len > ORIGIN_MAX || memchr(buf, '\n', (size_t)len) != buf + len - 1)
		why = "not a single line, or too long";
	else if (stat(final, &fst) == 0 &&
		 (st.st_mtim.tv_sec < fst.st_mtim.tv_sec ||
		  (st.st_mtim.tv_sec == fst.st_mtim.tv_sec && st.st_mtim.tv_nsec < fst.st_mtim.tv_nsec)))
		why = "older than the file, which was replaced since";
	close(fd);
	if (!why && origin_line_ok(buf, (size_t)len))
		return 0;
	if (!why) {
		/* a record written with a URL's credentials: the same URL without them */
		buf[len - 1] = 0;
		char bare[ORIGIN_MAX];
		if (strchr(buf, '@') && url_without_userinfo(buf, bare, sizeof(bare)) == 0 &&
		    strcmp(buf, bare)) {
			fprintf(stderr, "%s: rewritten without the URL's credentials\n", origin);
			return write_origin(origin, buf);
		}
		why = "not a URL without blanks or control characters";
	}
	fprintf(stderr, "warning: %s: %s; removing it\n", origin, why);
	unlink(origin);
	return 0;
}

int cmd_download(int argc, char **argv)
{
	const char *dl_dir = NULL, *name = NULL;
	const char *urls[MAX_URLS];
	int is_site[MAX_URLS];
	int nurls = 0, no_hash = 0;
	struct dl_limits lim = { 3, (curl_off_t)2048 << 20, 1024 };
	struct hash_list hashes = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--no-hash")) {
			no_hash = 1;
			continue;
		}
		if (!v) {
			fprintf(stderr, "download: %s needs a value\n", a);
			hash_list_free(&hashes);
			return 2;
		}
		i++;
		if (!strcmp(a, "--dl-dir"))
			dl_dir = v;
		else if (!strcmp(a, "--file"))
			name = v;
		else if (!strcmp(a, "--retries") || !strcmp(a, "--max-size") ||
			 !strcmp(a, "--min-rate")) {
			char *end;
			errno = 0;
			long long n = strtoll(v, &end, 10);
			/* sizes may end in K, M or G (powers of 1024) */
			int shift = a[3] == 'a' ? (*end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0) : 0;
			if (shift && !end[1] && n >= 0 && n <= (LLONG_MAX >> shift)) {
				n <<= shift;
				end++;
			}
			if (errno || *end || end == v || n < (a[2] == 'r' ? 1 : 0)) {
				fprintf(stderr, "download: %s: not a valid number: %s\n", a, v);
				hash_list_free(&hashes);
				return 2;
			}
			if (a[2] == 'r')
				lim.retries = n > 100 ? 100 : (long)n;
			else if (a[3] == 'a')
				lim.max_size = (curl_off_t)n;
			else
				lim.min_rate = n > 1L << 30 ? 1L << 30 : (long)n;
		} else if (!strcmp(a, "--hash-file")) {
			if (hash_list_load(&hashes, v)) {
				hash_list_free(&hashes);
				return 2;
			}
		} else if (!strcmp(a, "--site") || !strcmp(a, "--url") || !strcmp(a, "--site-env") ||
			   !strcmp(a, "--url-env")) {
			if (nurls == MAX_URLS) {
				fprintf(stderr, "download: too many sites\n");
				hash_list_free(&hashes);
				return 2;
			}
			/* --site-env VAR: VAR's value (see the header comment) */
			int from_env = strstr(a, "-env") != NULL;
			const char *url = from_env ? getenv(v) : v;
			if (!url || !*url) {
				fprintf(stderr, "download: %s %s: no such variable in the environment, "
					"or empty\n", a, v);
				hash_list_free(&hashes);
				return 2;
			}
			is_site[nurls] = a[2] == 's';
			urls[nurls++] = url;
		} else {
			fprintf(stderr, "download: unknown option %s\n", a);
			hash_list_free(&hashes);
			return 2;
		}
	}
	if (!dl_dir || !name || strchr(name, '/')) {
		fprintf(stderr, "download: --dl-dir and --file NAME (no '/') are required\n");
		hash_list_free(&hashes);
		return 2;
	}
	if (mkdir_p(dl_dir)) {
		hash_list_free(&hashes);
		return 2;
	}
	char final[4096], part[4096], lock[4096], origin[4096];
	snprintf(final, sizeof(final), "%s/%s", dl_dir, name);
	snprintf(origin, sizeof(origin), "%s/.%s.origin", dl_dir, name);
	snprintf(part, sizeof(part), "%s/.%s.part", dl_dir, name);
	snprintf(lock, sizeof(lock), "%s/.%s.lock", dl_dir, name);
	int lfd = open(lock, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (lfd < 0 || flock(lfd, LOCK_EX)) {
		fprintf(stderr, "%s: cannot lock: %s\n", lock, strerror(errno));
		hash_list_free(&hashes);
		return 2;
	}
	int rc = 1, planted = 0;
	if (access(final, F_OK) == 0) {
		int v = no_hash ? 0 : hash_verify(&hashes, final, name);
		if (v == 0) {
			rc = refresh_origin(origin, final) < 0 ? 2 : 0;
			goto out;
		}
		fprintf(stderr, "%s: cached file fails verification, removing it\n", final);
		unlink(final);
		unlink(origin);
		if (v == 2)
			goto out;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (int u = 0; u < nurls && rc && !planted; u++) {
		char url[ORIGIN_MAX], shown[ORIGIN_MAX];
		int n;
		if (is_site[u])
			n = snprintf(url, sizeof(url), "%s%s%s", urls[u],
				     *urls[u] && urls[u][strlen(urls[u]) - 1] == '/' ? "" : "/", name);
		else
			n = snprintf(url, sizeof(url), "%s", urls[u]);
		if (n < 0 || n >= (int)sizeof(url) || url_without_userinfo(url, shown, sizeof(shown))) {
			fprintf(stderr, "download: site %d of %s: URL longer than %d characters\n", u + 1,
				name, ORIGIN_MAX - 1);
			continue;
		}
		if (!has_scheme(url)) {
			/* curl would guess "http://" and send a "user:pw@" in it,
			 * but no message could show it without the password */
			fprintf(stderr, "download: site %d of %s: not a URL (no \"scheme://\" at its "
				"start; sites are http://, https://, ftp:// or file:// URLs)\n", u + 1, name);
			continue;
		}
		if (!isatty(2))
			fprintf(stderr, ">>> Downloading %s\n", shown);
		/* a leftover .part resumed here that then fails verification
		 * was not this file's beginning: once, start over from zero */
		struct stat st;
		int resumed = lstat(part, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
		int r, v;
	again:
		r = 1;
		for (long attempt = 0; attempt < lim.retries && r == 1; attempt++) {
			if (attempt) {
				unsigned wait = attempt > 6 ? 32u : 1u << (attempt - 1);
				fprintf(stderr, "retrying %s in %u s (attempt %ld of %ld)\n", shown, wait,
					attempt + 1, lim.retries);
				sleep(wait);
			}
			r = fetch(url, shown, part, name, &lim);
		}
		if (r == 3) {
			planted = 1;
			rc = 2;
			break;
		}
		if (r != 0) {
			unlink(part);
			if (u + 1 < nurls)
				fprintf(stderr, "trying the next site\n");
			continue;
		}
		v = no_hash ? 0 : hash_verify(&hashes, part, name);
		if (v == 1 && resumed) {
			fprintf(stderr, "%s: resumed from an earlier partial file that does not match; "
				"downloading it again from the start\n", name);
			unlink(part);
			resumed = 0;
			goto again;
		}
		if (v != 0) {
			unlink(part);
			if (v == 2) /* no usable hash: no site can do better */
				break;
			if (u + 1 < nurls)
				fprintf(stderr, "trying the next site\n");
			continue;
		}
		if (rename(part, final)) {
			fprintf(stderr, "%s: %s\n", final, strerror(errno));
			unlink(part);
			break;
		}
		rc = 0;
		if (write_origin(origin, url) < 0)
			planted = rc = 2;
	}
	curl_global_cleanup();
	if (rc)
		fprintf(stderr, planted ? "ERROR: %s: stopped, a file planted in the download folder "
					  "was refused\n"
					: "ERROR: %s could not be downloaded from any site\n", name);
out:
	/* a refused .part is left as found, for its owner to look at */
	if (!planted)
		unlink(part);
	close(lfd);
	hash_list_free(&hashes);
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	struct hash_list hashes = { 0 };
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--hash-file") && i + 1 < argc) {
			if (hash_list_load(&hashes, argv[++i])) {
				hash_list_free(&hashes);
				return 2;
			}
		} else if (argv[i][0] != '-' && !file) {
			file = argv[i];
		} else {
			fprintf(stderr, "verify: unknown argument %s\n", argv[i]);
			hash_list_free(&hashes);
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "usage: verify --hash-file F... FILE\n");
		return 2;
	}
	const char *base = strrchr(file, '/');
	int v = hash_verify(&hashes, file, base ? base + 1 : file);
	hash_list_free(&hashes);
	return v == 0 ? 0 : 1;
}
