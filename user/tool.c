// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * physwin: the command-line tool for /dev/physwin.  See physwin.1.
 *
 * Exit status: 0 success, 1 the operation failed, 2 bad usage.  Results go
 * to stdout, diagnostics to stderr prefixed "physwin:".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "physwin.h"

#define EXIT_USAGE	2
#define CHUNK		(64 * 1024)
/* a batch script's longest line, newline included */
#define LINE_BYTES	512

static struct {
	const char *device;
	bool mmap;		/* access path: mmap instead of pread/pwrite */
	bool path_set;		/* --mmap or --syscall given */
	bool json;
} opt;

static const char *cmd_name = "";

static void __attribute__((noreturn))
vdie(int status, const char *fmt, va_list ap)
{
	fprintf(stderr, "physwin: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	if (status == EXIT_USAGE)
		fprintf(stderr, "physwin: try 'physwin %s%s--help'\n", cmd_name,
			*cmd_name ? " " : "");
	exit(status);
}

/* A runtime failure: exit 1. */
static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(EXIT_FAILURE, fmt, ap);
}

/* Bad usage: exit 2. */
static void __attribute__((noreturn, format(printf, 1, 2)))
die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(EXIT_USAGE, fmt, ap);
}

static const char main_usage[] =
	"usage: physwin [OPTIONS] COMMAND [ARGS]\n"
	"\n"
	"Access allowlisted physical address windows through /dev/physwin.\n"
	"\n"
	"Commands:\n"
	"  list                         the windows: name, base, size, attributes\n"
	"  read ADDR [WIDTH]            read one register (WIDTH 8|16|32|64, default 32)\n"
	"  write ADDR WIDTH VALUE...    write registers at ADDR, ADDR+WIDTH/8, ...\n"
	"  dump ADDR LEN                hex and ASCII, like hexdump -C\n"
	"  load ADDR FILE               write FILE's bytes at ADDR ('-' for stdin)\n"
	"  save ADDR LEN FILE           write LEN bytes at ADDR to FILE ('-' for stdout)\n"
	"  batch [FILE]                 a register script in one call (read, write,\n"
	"                               rmw, poll); see 'physwin batch --help'\n"
	"  devmem ADDR [WIDTH [VALUE]]  busybox devmem's arguments and output\n"
	"\n"
	"Options (before or after the command):\n"
	"  -d, --device PATH   device to use (default /dev/physwin, else the node\n"
	"                      /dev/physwin-NAME you can open whose window holds\n"
	"                      the address; /dev/mem works)\n"
	"  -m, --mmap          access through mmap() (default for devmem)\n"
	"  -s, --syscall       access through pread()/pwrite() (default otherwise)\n"
	"  -j, --json          JSON output (list, read)\n"
	"  -h, --help          help; 'physwin COMMAND --help' for one command\n"
	"  -V, --version       the version\n"
	"\n"
	"Numbers: 0x hex, 0 octal, else decimal; LEN takes K, M, G suffixes.\n"
	"Exit status: 0 ok, 1 failed (a write error on stdout too), 2 bad usage\n"
	"(a bad batch script too), found before any device is opened.\n"
	"Environment: PHYSWIN_DEV_DIR, where the nodes are (default /dev).\n";

/* A command's arguments, all checked before any device is opened. */
struct request {
	uint64_t addr;		/* where the command starts */
	uint64_t len;		/* bytes: dump, save; write: the values' span */
	unsigned int width;
	uint64_t *values;	/* write, devmem: what to write */
	int nvalues;
	const char *path;	/* load, save, batch */
	bool has_addr;		/* every command but list */
	bool writes;		/* the descriptor must be open for writing */
	struct physwin_batch *batch;
	struct script_op *sops;
	unsigned int nops;
	uint8_t *buf;		/* dump, load, save: reachable from main() */
};

struct command {
	const char *name;
	int min_args, max_args;		/* -1: no limit */
	bool writes;
	void (*parse)(int argc, char **argv, struct request *r);
	int (*run)(struct physwin_dev *dev, struct request *r);
	const char *usage;
};

static uint64_t arg_addr(const char *s)
{
	uint64_t v;

	if (parse_u64(s, &v))
		die_usage("invalid address '%s'", s);
	return v;
}

static uint64_t arg_len(const char *s)
{
	uint64_t v;

	if (parse_size(s, &v))
		die_usage("invalid length '%s'", s);
	if (!v)
		die_usage("length must not be 0");
	if (v > SIZE_MAX)
		die_usage("length '%s' is too large", s);
	return v;
}

static unsigned int arg_width(const char *s)
{
	unsigned int w;

	if (parse_width(s, &w))
		die_usage("invalid width '%s': use 8, 16, 32 or 64", s);
	return w;
}

static uint64_t arg_value(const char *s, unsigned int width)
{
	uint64_t v;

	if (parse_u64(s, &v))
		die_usage("invalid value '%s'", s);
	if (width < 64 && v >> width)
		die_usage("value '%s' does not fit in %u bits", s, width);
	return v;
}

static uint64_t add_addr(uint64_t addr, uint64_t len)
{
	if (addr + len < addr)
		die_usage("address range wraps past the top of the address space");
	return addr + len;
}

static void arg_aligned(uint64_t addr, unsigned int width)
{
	if (addr % (width / 8))
		die_usage("address 0x%" PRIx64 " is not a multiple of %u bytes",
			  addr, width / 8);
}

/*
 * On a physwin device, name the windows when an address is refused, so
 * the user sees at once what is reachable.
 */
static void __attribute__((noreturn))
die_access(struct physwin_dev *dev, uint64_t addr, const char *what)
{
	int err = errno, i, n;

	if (err != EPERM)
		die("%s 0x%" PRIx64 ": %s", what, addr, strerror(err));
	n = physwin_dev_get_window_count(dev);
	if (n < 0)
		die("%s 0x%" PRIx64 ": %s", what, addr, strerror(err));
	fprintf(stderr, "physwin: 0x%" PRIx64 " is outside every window; try 'physwin list'\n",
		addr);
	for (i = 0; i < n && i < 8; i++) {
		struct physwin_window *w = physwin_dev_get_window(dev, i);

		if (!w)
			break;
		fprintf(stderr, "physwin:   %s: 0x%" PRIx64 "-0x%" PRIx64 "\n",
			physwin_window_get_name(w), physwin_window_get_base(w),
			physwin_window_get_base(w) + physwin_window_get_size(w) - 1);
		physwin_window_free(w);
	}
	if (n > 8)
		fprintf(stderr, "physwin:   ... and %d more\n", n - 8);
	exit(EXIT_FAILURE);
}

/*
 * Check that [addr, addr + len) lies in one window, when the device can
 * tell (physwin can, /dev/mem cannot), to name the problem precisely
 * before the first access.
 */
static void check_range(struct physwin_dev *dev, uint64_t addr, uint64_t len)
{
	struct physwin_window *w = physwin_dev_find_window(dev, addr);
	uint64_t last;

	if (!w) {
		if (errno == EPERM)
			die_access(dev, addr, "access");
		return;		/* not a physwin device */
	}
	/* the window's last byte, not its end: a window may end at 2^64 */
	last = physwin_window_get_base(w) + physwin_window_get_size(w) - 1;
	if (len > last - addr + 1) {
		fprintf(stderr, "physwin: 0x%" PRIx64 "+0x%" PRIx64 " runs past the end of window %s (0x%" PRIx64 "-0x%" PRIx64 ")\n",
			addr, len, physwin_window_get_name(w),
			physwin_window_get_base(w), last);
		physwin_window_free(w);
		exit(EXIT_FAILURE);
	}
	physwin_window_free(w);
}

/*
 * Bytes from @addr to the end of its window, UINT64_MAX where the device
 * cannot tell (/dev/mem); *@name gets the window's name.  Dies when no
 * window holds @addr.
 */
static uint64_t window_room(struct physwin_dev *dev, uint64_t addr,
			    char *name, size_t len)
{
	struct physwin_window *w = physwin_dev_find_window(dev, addr);
	uint64_t room;

	if (!w) {
		if (errno == EPERM)
			die_access(dev, addr, "access");
		return UINT64_MAX;
	}
	room = physwin_window_get_base(w) + physwin_window_get_size(w) - addr;
	snprintf(name, len, "%s", physwin_window_get_name(w));
	physwin_window_free(w);
	return room;
}

/* One register access through the chosen path. */
static int reg_read(struct physwin_dev *dev, uint64_t addr, unsigned int width,
		    uint64_t *value)
{
	struct physwin_map *map;
	int ret;

	if (!opt.mmap)
		return physwin_dev_read(dev, addr, width, value);
	map = physwin_map_new(dev, addr, width / 8, 0);
	if (!map)
		return -1;
	ret = physwin_map_read(map, addr, width, value);
	physwin_map_free(map);
	return ret;
}

static int reg_write(struct physwin_dev *dev, uint64_t addr, unsigned int width,
		     uint64_t value)
{
	struct physwin_map *map;
	int ret;

	if (!opt.mmap)
		return physwin_dev_write(dev, addr, width, value);
	map = physwin_map_new(dev, addr, width / 8, PHYSWIN_MAP_WRITE);
	if (!map)
		return -1;
	ret = physwin_map_write(map, addr, width, value);
	physwin_map_free(map);
	return ret;
}

/* A block transfer through the chosen path. */
static int block_io(struct physwin_dev *dev, uint64_t addr, void *buf,
		    size_t len, bool write)
{
	struct physwin_map *map;
	int ret;

	if (!opt.mmap)
		return write ? physwin_dev_write_block(dev, addr, buf, len) :
			       physwin_dev_read_block(dev, addr, buf, len);
	map = physwin_map_new(dev, addr, len, write ? PHYSWIN_MAP_WRITE : 0);
	if (!map)
		return -1;
	ret = write ? physwin_map_write_block(map, addr, buf, len) :
		      physwin_map_read_block(map, addr, buf, len);
	physwin_map_free(map);
	return ret;
}

/* Stop a long output at the first write error rather than at exit. */
static void check_stdout(void)
{
	if (ferror(stdout))
		die("standard output: write error");
}

static const char *flag_names(unsigned int flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s",
		 flags & PHYSWIN_WINDOW_MAPPABLE ? "mappable," : "",
		 flags & PHYSWIN_WINDOW_CLAIMED ? "claimed," : "",
		 flags & PHYSWIN_WINDOW_EXACT ? "exact," : "",
		 flags & PHYSWIN_WINDOW_GONE ? "gone," : "");
	if (*buf)
		buf[strlen(buf) - 1] = '\0';
	else
		snprintf(buf, len, "-");
	return buf;
}

/* @s as a JSON string: quotes, backslashes and control characters escaped */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/*
 * One line (or JSON object) of list: window @w, index @i of /dev/physwin,
 * or reached through per-window node @node (then @i is its rank).
 */
static void list_window(int i, const struct physwin_window *w, const char *node)
{
	static const char *const cache[] = { "uc", "wc", "wb" };
	unsigned int f = physwin_window_get_flags(w);
	unsigned int c = physwin_window_get_cache(w);
	char flags[64], index[16];

	if (opt.json) {
		printf("%s\n  {", i ? "," : "");
		if (node) {
			printf("\"node\": ");
			json_string(node);
			printf(", ");
		} else
			printf("\"index\": %d, ", i);
		printf("\"name\": \"%s\", \"base\": \"0x%" PRIx64 "\", \"size\": \"0x%" PRIx64 "\", \"access\": \"%s\", \"cache\": \"%s\", \"width\": %u, \"mappable\": %s, \"claimed\": %s, \"exact\": %s, \"gone\": %s}",
		       physwin_window_get_name(w),
		       physwin_window_get_base(w),
		       physwin_window_get_size(w),
		       f & PHYSWIN_WINDOW_READONLY ? "ro" : "rw",
		       c < 3 ? cache[c] : "?",
		       physwin_window_get_width(w),
		       f & PHYSWIN_WINDOW_MAPPABLE ? "true" : "false",
		       f & PHYSWIN_WINDOW_CLAIMED ? "true" : "false",
		       f & PHYSWIN_WINDOW_EXACT ? "true" : "false",
		       f & PHYSWIN_WINDOW_GONE ? "true" : "false");
		return;
	}
	if (node)
		snprintf(index, sizeof(index), "-");
	else
		snprintf(index, sizeof(index), "%d", i);
	printf("%-5s %-16s 0x%016" PRIx64 " 0x%-10" PRIx64 " %-6s %-5s %-5u %s%s%s\n",
	       index, physwin_window_get_name(w),
	       physwin_window_get_base(w),
	       physwin_window_get_size(w),
	       f & PHYSWIN_WINDOW_READONLY ? "ro" : "rw",
	       c < 3 ? cache[c] : "?",
	       physwin_window_get_width(w),
	       flag_names(f, flags, sizeof(flags)),
	       node ? " " : "", node ? node : "");
}

static void list_header(bool nodes)
{
	if (opt.json)
		printf("[");
	else
		printf("%-5s %-16s %-18s %-12s %-6s %-5s %-5s %s%s\n", "INDEX",
		       "NAME", "BASE", "SIZE", "ACCESS", "CACHE", "WIDTH", "FLAGS",
		       nodes ? " NODE" : "");
}

static void list_footer(int n)
{
	if (opt.json)
		printf("%s]\n", n ? "\n" : "");
}

static void parse_list(int argc, char **argv, struct request *r)
{
	(void)argc;
	(void)argv;
	(void)r;
}

static int cmd_list(struct physwin_dev *dev, struct request *r)
{
	int i, n = physwin_dev_get_window_count(dev);

	(void)r;
	if (n < 0) {
		if (errno == ENOTTY)
			die("%s is not a physwin device: it has no window list",
			    physwin_dev_get_path(dev));
		die("%s: %s", physwin_dev_get_path(dev), strerror(errno));
	}
	list_header(false);
	for (i = 0; i < n; i++) {
		struct physwin_window *w = physwin_dev_get_window(dev, i);

		if (!w)
			die("window %d: %s", i, strerror(errno));
		list_window(i, w, NULL);
		physwin_window_free(w);
	}
	list_footer(n);
	return 0;
}

static void parse_read(int argc, char **argv, struct request *r)
{
	r->addr = arg_addr(argv[0]);
	r->width = argc > 1 ? arg_width(argv[1]) : 32;
	arg_aligned(r->addr, r->width);
}

static int cmd_read(struct physwin_dev *dev, struct request *r)
{
	uint64_t value;

	if (reg_read(dev, r->addr, r->width, &value))
		die_access(dev, r->addr, "read");
	if (opt.json)
		printf("{\"address\": \"0x%" PRIx64 "\", \"width\": %u, \"value\": \"0x%0*" PRIx64 "\"}\n",
		       r->addr, r->width, (int)r->width / 4, value);
	else
		printf("0x%0*" PRIx64 "\n", (int)r->width / 4, value);
	return 0;
}

static void parse_write(int argc, char **argv, struct request *r)
{
	int i;

	r->addr = arg_addr(argv[0]);
	r->width = arg_width(argv[1]);
	arg_aligned(r->addr, r->width);
	r->nvalues = argc - 2;
	r->values = calloc((size_t)r->nvalues, sizeof(*r->values));
	if (!r->values)
		die("out of memory");
	/* parse every value before writing any */
	for (i = 0; i < r->nvalues; i++)
		r->values[i] = arg_value(argv[i + 2], r->width);
	r->len = (uint64_t)r->nvalues * (r->width / 8);
	add_addr(r->addr, r->len - 1);
}

static int cmd_write(struct physwin_dev *dev, struct request *r)
{
	int i;

	/* all the registers in one window, or none written */
	check_range(dev, r->addr, r->len);
	for (i = 0; i < r->nvalues; i++) {
		uint64_t a = r->addr + (uint64_t)i * (r->width / 8);

		if (reg_write(dev, a, r->width, r->values[i]))
			die_access(dev, a, "write");
	}
	return 0;
}

static void print_dump_line(uint64_t addr, const uint8_t *b, size_t n)
{
	size_t i;

	printf("%08" PRIx64 " ", addr);
	for (i = 0; i < 16; i++) {
		if (i == 8)
			putchar(' ');
		if (i < n)
			printf(" %02x", b[i]);
		else
			printf("   ");
	}
	printf("  |");
	for (i = 0; i < n; i++)
		putchar(b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.');
	printf("|\n");
}

static void parse_dump(int argc, char **argv, struct request *r)
{
	(void)argc;
	r->addr = arg_addr(argv[0]);
	r->len = arg_len(argv[1]);
	add_addr(r->addr, r->len);
}

static int cmd_dump(struct physwin_dev *dev, struct request *r)
{
	uint8_t *buf = r->buf = malloc(CHUNK);
	uint64_t done = 0;

	if (!buf)
		die("out of memory");
	check_range(dev, r->addr, r->len);
	while (done < r->len) {
		size_t n = r->len - done < CHUNK ? (size_t)(r->len - done) : CHUNK;
		size_t i;

		if (block_io(dev, r->addr + done, buf, n, false))
			die_access(dev, r->addr + done, "read");
		for (i = 0; i < n; i += 16)
			print_dump_line(r->addr + done + i, buf + i,
					n - i < 16 ? n - i : 16);
		check_stdout();
		done += n;
	}
	printf("%08" PRIx64 "\n", r->addr + r->len);
	return 0;
}

static void parse_load(int argc, char **argv, struct request *r)
{
	(void)argc;
	r->addr = arg_addr(argv[0]);
	r->path = argv[1];
}

/* read() until @len bytes or the end of the file; returns the count */
static size_t read_full(int fd, const char *path, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("%s: %s", path, strerror(errno));
		if (!n)
			break;
		got += (size_t)n;
	}
	return got;
}

/*
 * load: where the device names its windows, the whole file is read first
 * (at most one byte more than the window has room for), so that a file
 * too long for its window writes nothing.  /dev/mem cannot tell: streamed.
 */
static int cmd_load(struct physwin_dev *dev, struct request *r)
{
	const char *path = r->path, *shown = strcmp(path, "-") ? path : "standard input";
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	uint64_t room, done = 0;
	uint8_t *buf = NULL;
	size_t cap = 0, got = 0, n;
	char name[64];

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	room = window_room(dev, r->addr, name, sizeof(name));
	if (room == UINT64_MAX) {
		buf = r->buf = malloc(CHUNK);
		if (!buf)
			die("out of memory");
		while ((n = read_full(fd, shown, buf, CHUNK)) != 0) {
			if (block_io(dev, add_addr(r->addr, done), buf, n, true))
				die_access(dev, r->addr + done, "write");
			done += n;
		}
	} else {
		/* everything, up to room + 1 bytes: more means too long */
		for (;;) {
			uint64_t want = room + 1 - got;

			if (got == cap) {
				cap = cap ? cap * 2 : CHUNK;
				if (cap > room + 1)
					cap = (size_t)(room + 1);
				buf = r->buf = realloc(buf, cap);
				if (!buf)
					die("out of memory");
			}
			if (want > cap - got)
				want = cap - got;
			n = read_full(fd, shown, buf + got, (size_t)want);
			got += n;
			if (n < want || got > room)
				break;
		}
		if (got > room)
			die("%s: longer than the 0x%" PRIx64 " bytes from 0x%" PRIx64 " to the end of window %s; nothing written",
			    shown, room, r->addr, name);
		for (done = 0; done < got; done += n) {
			n = got - done < CHUNK ? got - done : CHUNK;
			if (block_io(dev, r->addr + done, buf + done, n, true))
				die_access(dev, r->addr + done, "write");
		}
	}
	if (fd)
		close(fd);
	return 0;
}

static void parse_save(int argc, char **argv, struct request *r)
{
	(void)argc;
	r->addr = arg_addr(argv[0]);
	r->len = arg_len(argv[1]);
	add_addr(r->addr, r->len);
	r->path = argv[2];
}

static int cmd_save(struct physwin_dev *dev, struct request *r)
{
	const char *path = strcmp(r->path, "-") ? r->path : "standard output";
	uint8_t *buf = r->buf = malloc(CHUNK);
	uint64_t done = 0;
	int fd;

	if (!buf)
		die("out of memory");
	check_range(dev, r->addr, r->len);
	fd = strcmp(r->path, "-") ? open(r->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666) : 1;
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	while (done < r->len) {
		size_t n = r->len - done < CHUNK ? (size_t)(r->len - done) : CHUNK, off = 0;

		if (block_io(dev, r->addr + done, buf, n, false))
			die_access(dev, r->addr + done, "read");
		while (off < n) {
			ssize_t w = write(fd, buf + off, n - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				die("%s: %s", path, strerror(errno));
			off += (size_t)w;
		}
		done += n;
	}
	if (fd != 1 && close(fd))
		die("%s: %s", path, strerror(errno));
	return 0;
}

/* One parsed script line: the operation's kind and where it came from. */
struct script_op {
	const char *kind;
	unsigned int line;
	uint64_t addr;
	unsigned int width;
	bool prints;
	bool writes;		/* write or rmw: the device opened for writing */
};

/* Split @s into at most @max words; returns the count, or max + 1. */
static int split_words(char *s, char **words, int max)
{
	int n = 0;
	char *save = NULL, *w;

	for (w = strtok_r(s, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (*w == '#')
			break;
		if (n == max)
			return max + 1;
		words[n++] = w;
	}
	return n;
}

static void __attribute__((noreturn, format(printf, 2, 3)))
die_script(unsigned int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "physwin: line %u: ", line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

static uint64_t script_number(unsigned int line, const char *what,
			      const char *s, unsigned int width)
{
	uint64_t v;

	if (parse_u64(s, &v))
		die_script(line, "invalid %s '%s'", what, s);
	if (width && width < 64 && v >> width)
		die_script(line, "%s '%s' does not fit in %u bits", what, s, width);
	return v;
}

/* Parse one line into @batch; false for a blank or comment line. */
static bool script_line(struct physwin_batch *batch, char *text,
			unsigned int line, struct script_op *sop)
{
	static const struct { const char *kind; int words; } kinds[] = {
		{ "read", 3 }, { "write", 4 }, { "rmw", 5 }, { "poll", 6 },
	};
	uint64_t addr, a, b, timeout;
	unsigned int width, k;
	char *w[6];
	int n = split_words(text, w, 6), ret;

	if (!n)
		return false;
	for (k = 0; k < 4 && strcmp(w[0], kinds[k].kind); k++)
		;
	if (k == 4)
		die_script(line, "unknown operation '%s' (read, write, rmw, poll)", w[0]);
	if (n != kinds[k].words)
		die_script(line, "%s takes %d arguments", w[0], kinds[k].words - 1);
	addr = script_number(line, "address", w[1], 0);
	if (parse_width(w[2], &width))
		die_script(line, "invalid width '%s': use 8, 16, 32 or 64", w[2]);
	if (addr % (width / 8))
		die_script(line, "address 0x%" PRIx64 " is not a multiple of %u bytes",
			   addr, width / 8);
	a = n > 3 ? script_number(line, k == 1 ? "value" : "mask", w[3], width) : 0;
	b = n > 4 ? script_number(line, "value", w[4], width) : 0;
	timeout = n > 5 ? script_number(line, "timeout", w[5], 32) : 0;
	switch (k) {
	case 0:
		ret = physwin_batch_add_read(batch, addr, width);
		break;
	case 1:
		ret = physwin_batch_add_write(batch, addr, width, a);
		break;
	case 2:
		ret = physwin_batch_add_rmw(batch, addr, width, a, b);
		break;
	default:
		ret = physwin_batch_add_poll(batch, addr, width, a, b,
					     (uint32_t)timeout);
		break;
	}
	if (ret < 0)
		die_script(line, "%s", errno == E2BIG ?
			   "more than 1024 operations" : strerror(errno));
	sop->kind = kinds[k].kind;
	sop->line = line;
	sop->addr = addr;
	sop->width = width;
	sop->prints = k != 1;
	sop->writes = k == 1 || k == 2;
	return true;
}

/*
 * batch [FILE]: the whole script is read and checked before a device is
 * opened.  A line longer than LINE_BYTES - 1 characters is an error, not
 * two lines: its tail could be a comment's, and must never run.
 */
static void parse_batch(int argc, char **argv, struct request *r)
{
	const char *path = argc ? argv[0] : "-";
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	unsigned int line = 0;
	size_t cap = 0;
	char *text = NULL;
	ssize_t len;

	if (!f)
		die("%s: %s", path, strerror(errno));
	r->batch = physwin_batch_new();
	r->sops = calloc(1025, sizeof(*r->sops));
	if (!r->batch || !r->sops)
		die("out of memory");
	/* whole lines, however long: a NUL byte must not hide a tail either */
	while ((len = getline(&text, &cap, f)) >= 0) {
		line++;
		if (memchr(text, '\0', len))
			die_script(line, "holds a NUL byte; nothing was run");
		if (len && text[len - 1] == '\n')
			len--;
		if (len > LINE_BYTES - 1)
			die_script(line, "longer than %d characters; nothing was run",
				   LINE_BYTES - 1);
		if (script_line(r->batch, text, line, &r->sops[r->nops]))
			r->writes |= r->sops[r->nops++].writes;
	}
	free(text);
	if (ferror(f))
		die("%s: %s", path, strerror(errno));
	if (f != stdin)
		fclose(f);
	if (!r->nops)
		die_usage("%s: no operations", path);
	r->addr = r->sops[0].addr;
}

/* The values read are printed in order. */
static int cmd_batch(struct physwin_dev *dev, struct request *r)
{
	struct script_op *sops = r->sops;
	struct physwin_window *w = NULL;
	unsigned int i, done;
	int ret;

	/*
	 * Every address in a window of @dev before anything runs: through a
	 * per-window node only its window is reachable, and a batch that
	 * needs two nodes must not run half-way.  Consecutive operations are
	 * mostly in one window: it is asked for again only when they leave it.
	 */
	for (i = 0; i < r->nops; i++) {
		if (w && sops[i].addr - physwin_window_get_base(w) <
			 physwin_window_get_size(w))
			continue;
		physwin_window_free(w);
		w = physwin_dev_find_window(dev, sops[i].addr);
		if (w)
			continue;
		if (errno != EPERM)
			break;		/* a device that cannot tell: /dev/mem */
		fprintf(stderr, "physwin: line %u: %s 0x%" PRIx64 " is in no window of %s; nothing was run\n",
			sops[i].line, sops[i].kind, sops[i].addr,
			physwin_dev_get_path(dev));
		if (i)
			fprintf(stderr, "physwin: a batch runs through one node: its operations must lie in the windows of the node holding line %u's address\n",
				sops[0].line);
		exit(EXIT_FAILURE);
	}
	physwin_window_free(w);

	ret = physwin_batch_run(r->batch, dev);
	done = physwin_batch_get_done(r->batch);
	for (i = 0; i < done; i++)
		if (sops[i].prints)
			printf("0x%0*" PRIx64 "\n", (int)sops[i].width / 4,
			       physwin_batch_get_result(r->batch, i));
	if (ret) {
		int err = errno;

		if (err == ENOTTY)
			die("%s is not a physwin device: it has no batch call",
			    physwin_dev_get_path(dev));
		if (done == r->nops)
			die("batch: %s", strerror(err));
		fprintf(stderr, "physwin: line %u: %s 0x%" PRIx64 ": %s\n",
			sops[done].line, sops[done].kind, sops[done].addr,
			strerror(err));
		if (err == EPERM)
			die_access(dev, sops[done].addr, sops[done].kind);
		exit(EXIT_FAILURE);
	}
	physwin_batch_free(r->batch);
	free(sops);
	return 0;
}

/*
 * busybox devmem: ADDRESS [WIDTH [VALUE]], width in bits or b/h/w/l,
 * default 32; a read prints 0x%0*llX, a write prints nothing.  Unlike
 * busybox, a malformed number or a value too wide is an error.
 */
static void parse_devmem(int argc, char **argv, struct request *r)
{
	r->addr = arg_addr(argv[0]);
	r->width = 32;
	if (argc > 1 && parse_devmem_width(argv[1], &r->width))
		die_usage("bad width '%s': use 8, 16, 32, 64 or b, h, w, l", argv[1]);
	arg_aligned(r->addr, r->width);
	if (argc > 2) {
		r->values = calloc(1, sizeof(*r->values));
		if (!r->values)
			die("out of memory");
		r->values[0] = arg_value(argv[2], r->width);
		r->nvalues = 1;
		r->writes = true;
	}
}

static int cmd_devmem(struct physwin_dev *dev, struct request *r)
{
	uint64_t value;

	if (r->nvalues) {
		if (reg_write(dev, r->addr, r->width, r->values[0]))
			die_access(dev, r->addr, "write");
		return 0;
	}
	if (reg_read(dev, r->addr, r->width, &value))
		die_access(dev, r->addr, "read");
	printf("0x%0*" PRIX64 "\n", (int)r->width / 4, value);
	return 0;
}

static const struct command commands[] = {
	{ "list", 0, 0, false, parse_list, cmd_list,
	  "usage: physwin list [--json]\n\n"
	  "List the windows: index, name, base, size, access, cache mode,\n"
	  "widest access in bits, and flags.  Without --device, when /dev/physwin\n"
	  "does not open, the windows of the per-window nodes you can open, each\n"
	  "with its node.\n" },
	{ "read", 1, 2, false, parse_read, cmd_read,
	  "usage: physwin read ADDR [8|16|32|64] [--mmap|--syscall] [--json]\n\n"
	  "Read one register of WIDTH bits (default 32) with a single access and\n"
	  "print it as 0x followed by WIDTH/4 hex digits.  ADDR must be a multiple\n"
	  "of WIDTH/8.\n" },
	{ "write", 3, -1, true, parse_write, cmd_write,
	  "usage: physwin write ADDR 8|16|32|64 VALUE [VALUE...] [--mmap|--syscall]\n\n"
	  "Write each VALUE with a single access of WIDTH bits, at ADDR, ADDR+WIDTH/8,\n"
	  "and so on.  Every VALUE, and that all the registers lie in one window,\n"
	  "is checked before the first is written; a VALUE that does not fit in\n"
	  "WIDTH bits is an error.\n" },
	{ "dump", 2, 2, false, parse_dump, cmd_dump,
	  "usage: physwin dump ADDR LEN [--mmap|--syscall]\n\n"
	  "Show LEN bytes at ADDR as hex and ASCII, in hexdump -C's layout.\n" },
	{ "load", 2, 2, true, parse_load, cmd_load,
	  "usage: physwin load ADDR FILE [--mmap|--syscall]\n\n"
	  "Write the bytes of FILE ('-' for standard input) at ADDR, e.g. an FPGA\n"
	  "memory image.  The whole range must lie in one window: a FILE too long\n"
	  "for it writes nothing.\n" },
	{ "save", 3, 3, false, parse_save, cmd_save,
	  "usage: physwin save ADDR LEN FILE [--mmap|--syscall]\n\n"
	  "Write LEN bytes at ADDR to FILE ('-' for standard output).  The whole\n"
	  "range must lie in one window.\n" },
	{ "batch", 0, 1, false, parse_batch, cmd_batch,
	  "usage: physwin batch [FILE]\n\n"
	  "Run a register script from FILE ('-' or none: standard input) in one\n"
	  "call, one operation per line, widths in bits, '#' starts a comment:\n\n"
	  "  read  ADDR WIDTH\n"
	  "  write ADDR WIDTH VALUE\n"
	  "  rmw   ADDR WIDTH MASK VALUE        bits under MASK become VALUE's, atomically\n"
	  "  poll  ADDR WIDTH MASK VALUE TIMEOUT_US   until (reg & MASK) == VALUE\n\n"
	  "The whole script is checked before anything runs (a line longer than\n"
	  "511 characters is an error); it stops at the first failure.  Prints\n"
	  "the value of each read, rmw (before) and poll (last), in order, as 0x\n"
	  "and WIDTH/4 hex digits.\n" },
	{ "devmem", 1, 3, false, parse_devmem, cmd_devmem,
	  "usage: physwin devmem ADDRESS [WIDTH [VALUE]]\n\n"
	  "busybox devmem, on /dev/physwin: WIDTH is 8, 16, 32 (default), 64 or\n"
	  "b, h, w, l (char, short, int, long: l is 32 in a 32-bit program); a\n"
	  "read prints 0x and WIDTH/4 upper-case hex digits, a write\n"
	  "prints nothing.  Uses mmap() unless --syscall is given.  Unlike busybox,\n"
	  "a malformed number or a VALUE wider than WIDTH is an error.\n" },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* ---- finding the node the user can open ---- */

/* The directory of the device nodes: $PHYSWIN_DEV_DIR, else /dev. */
static const char *dev_dir(void)
{
	const char *dir = getenv("PHYSWIN_DEV_DIR");

	return dir && *dir ? dir : "/dev";
}

static bool in_group(gid_t gid)
{
	bool found = false;
	gid_t *groups;
	int i, n;

	if (getegid() == gid)
		return true;
	n = getgroups(0, NULL);
	if (n <= 0)
		return false;
	groups = calloc((size_t)n, sizeof(*groups));
	if (!groups)
		return false;
	n = getgroups(n, groups);
	for (i = 0; i < n && !found; i++)
		found = groups[i] == gid;
	free(groups);
	return found;
}

static const char *perm_words(unsigned int bits)
{
	switch (bits & 6) {
	case 6:
		return "read and write";
	case 4:
		return "read only";
	case 2:
		return "write only";
	default:
		return "none";
	}
}

/*
 * Why the open of @path failed: for EACCES, what the open needed and
 * which of the file's permission classes the user falls in.
 */
static void explain_open(const char *path, int err, bool ro, char *buf,
			 size_t len)
{
	const char *needs = ro ? "read" : "read and write";
	struct stat st;
	struct group *gr;
	char gname[32];
	unsigned int mode;

	if (err != EACCES || stat(path, &st)) {
		snprintf(buf, len, "%s", strerror(err));
		return;
	}
	mode = st.st_mode & 0777;
	gr = getgrgid(st.st_gid);
	if (gr)
		snprintf(gname, sizeof(gname), "%s", gr->gr_name);
	else
		snprintf(gname, sizeof(gname), "%u", (unsigned int)st.st_gid);
	if (geteuid() == st.st_uid)
		snprintf(buf, len, "%s (needs %s; you own it, and its owner gets %s)",
			 strerror(err), needs, perm_words(mode >> 6));
	else if (in_group(st.st_gid))
		snprintf(buf, len, "%s (needs %s; you are in group %s, which gets %s)",
			 strerror(err), needs, gname, perm_words(mode >> 3));
	else
		snprintf(buf, len, "%s (needs %s; you are not in group %s, and others get %s)",
			 strerror(err), needs, gname, perm_words(mode));
}

/* Whether the physwin module is loaded, as sysfs shows it. */
static bool module_loaded(void)
{
	return !access("/sys/module/physwin", F_OK) ||
	       !access("/sys/class/misc/physwin", F_OK);
}

static int node_filter(const struct dirent *d)
{
	return !strncmp(d->d_name, "physwin-", 8) && d->d_name[8];
}

/* What became of one node tried for an address, for the error report. */
struct tried {
	char path[PATH_MAX];
	char what[256];
	bool refused;		/* could not be opened: it might hold it */
};

/*
 * Open the device for @r: --device if given, else /dev/physwin, else the
 * per-window node whose window holds @r->addr (list: every node the user
 * can open, through @list).  Dies, naming every node tried, when none can.
 */
static struct physwin_dev *open_nodes(const struct request *r, bool ro,
				      const char *main_path, int main_err,
				      bool list)
{
	struct dirent **names = NULL;
	struct tried *tried;
	const char *dir = dev_dir();
	int i, n, refused = 0, shown = 0, nt = 0;
	struct physwin_dev *found = NULL;

	n = scandir(dir, &names, node_filter, alphasort);
	if (n < 0)
		n = 0;
	tried = calloc((size_t)n + 1, sizeof(*tried));
	if (!tried)
		die("out of memory");
	snprintf(tried[nt].path, sizeof(tried[nt].path), "%s", main_path);
	explain_open(main_path, main_err, ro, tried[nt].what, sizeof(tried[nt].what));
	nt++;
	for (i = 0; i < n; i++) {
		struct tried *t = &tried[nt++];
		struct physwin_dev *dev;
		struct physwin_window *w;

		snprintf(t->path, sizeof(t->path), "%s/%s", dir, names[i]->d_name);
		dev = physwin_dev_open(t->path, ro);
		if (!dev) {
			explain_open(t->path, errno, ro, t->what, sizeof(t->what));
			t->refused = true;
			refused++;
			continue;
		}
		w = physwin_dev_get_window(dev, 0);
		if (!w) {
			snprintf(t->what, sizeof(t->what), "%s",
				 errno == ENOTTY ? "not a physwin node" : strerror(errno));
			physwin_dev_close(dev);
			continue;
		}
		if (list) {
			if (!shown)
				list_header(true);
			list_window(shown++, w, t->path);
			physwin_window_free(w);
			physwin_dev_close(dev);
			continue;
		}
		snprintf(t->what, sizeof(t->what), "window %s, 0x%" PRIx64 "-0x%" PRIx64,
			 physwin_window_get_name(w), physwin_window_get_base(w),
			 physwin_window_get_base(w) + physwin_window_get_size(w) - 1);
		if (!found && r->addr >= physwin_window_get_base(w) &&
		    r->addr - physwin_window_get_base(w) < physwin_window_get_size(w))
			found = dev;
		else
			physwin_dev_close(dev);
		physwin_window_free(w);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (found || shown) {
		if (shown)
			list_footer(shown);
		free(tried);
		return found;
	}

	if (nt == 1) {
		/* no per-window node either: why /dev/physwin is missing */
		if (main_err == ENOENT)
			die("%s: %s (%s)", main_path, strerror(main_err),
			    module_loaded() ?
			    "the physwin module is loaded, but the node is missing: is devtmpfs mounted on /dev?" :
			    "is the physwin module loaded? (modprobe physwin)");
		die("%s: %s", main_path, tried[0].what);
	}
	if (!list && refused == 1) {
		/* the one node that could hold the address: its refusal first */
		for (i = 1; i < nt && !tried[i].refused; i++)
			;
		fprintf(stderr, "physwin: %s: %s\n", tried[i].path, tried[i].what);
		fprintf(stderr, "physwin: no other node holds 0x%" PRIx64 "; tried:\n", r->addr);
	} else if (list) {
		fprintf(stderr, "physwin: no window you can reach; tried:\n");
	} else {
		fprintf(stderr, "physwin: no node you can open holds 0x%" PRIx64 "; tried:\n",
			r->addr);
	}
	for (i = 0; i < nt; i++)
		if (list || refused != 1 || !tried[i].refused)
			fprintf(stderr, "physwin:   %s: %s\n", tried[i].path,
				tried[i].what);
	free(tried);
	exit(EXIT_FAILURE);
}

static struct physwin_dev *open_device(const struct command *cmd,
				       const struct request *r)
{
	bool ro = !(cmd->writes || r->writes);
	char main_path[PATH_MAX];
	struct physwin_dev *dev;
	int err;

	if (opt.device) {
		dev = physwin_dev_open(opt.device, ro);
		if (!dev)
			die("%s: %s", opt.device, strerror(errno));
		return dev;
	}
	snprintf(main_path, sizeof(main_path), "%s/physwin", dev_dir());
	dev = physwin_dev_open(main_path, ro);
	if (dev)
		return dev;
	err = errno;
	if (err != EACCES && err != EPERM && err != ENOENT)
		die("%s: %s", main_path, strerror(err));
	return open_nodes(r, ro, main_path, err, !r->has_addr);
}

/*
 * Everything printed must arrive: a full disk or a closed pipe is a
 * failure (exit 1), not a silent success.
 */
static void close_stdout(void)
{
	bool bad;
	int err;

	errno = 0;
	bad = fflush(stdout) != 0 || ferror(stdout);
	err = errno;
	if (fclose(stdout) && !bad) {
		bad = true;
		err = errno;
	}
	if (bad) {
		fprintf(stderr, "physwin: standard output: %s\n",
			err ? strerror(err) : "write error");
		_exit(EXIT_FAILURE);
	}
}

static const struct option long_options[] = {
	{ "device", required_argument, NULL, 'd' },
	{ "mmap", no_argument, NULL, 'm' },
	{ "syscall", no_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/*
 * Parse options.  Before the command, stop at the first non-option ("+");
 * after it, let getopt move options in front of the command's arguments.
 * The ':' after it makes a missing argument ':', not an unknown option.
 * Returns true if --help was seen.
 */
static bool parse_options(int argc, char **argv, bool stop_at_command)
{
	bool help = false;
	int c;

	optind = 0;	/* glibc: start afresh, permutation state included */
	opterr = 0;
	while ((c = getopt_long(argc, argv, stop_at_command ? "+:d:msjhV" : ":d:msjhV",
				long_options, NULL)) != -1) {
		switch (c) {
		case 'd':
			opt.device = optarg;
			break;
		case 'm':
		case 's':
			if (opt.path_set && opt.mmap != (c == 'm'))
				die_usage("--mmap and --syscall exclude each other");
			opt.mmap = c == 'm';
			opt.path_set = true;
			break;
		case 'j':
			opt.json = true;
			break;
		case 'h':
			help = true;
			break;
		case 'V':
			printf("physwin %s\n", physwin_api_version());
			exit(EXIT_SUCCESS);
		case ':':
			if (!strncmp(argv[optind - 1], "--", 2))
				die_usage("option '%s' needs an argument", argv[optind - 1]);
			die_usage("option '-%c' needs an argument", optopt);
		default:
			if (optopt && optopt != '?')
				die_usage("unknown option '-%c'", optopt);
			die_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	return help;
}

/*
 * Descriptors 0 to 2 open, on /dev/null where they were closed: else the
 * device would be opened as one of them, and what is printed would be
 * written to physical memory.
 */
static void keep_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", O_RDWR) != fd)
			_exit(EXIT_FAILURE);
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	struct request req = { .has_addr = true };
	struct physwin_dev *dev;
	int nargs, ret;
	char **args;
	bool help;

	keep_std_fds();
	atexit(close_stdout);
	help = parse_options(argc, argv, true);
	if (optind >= argc) {
		if (help) {
			fputs(main_usage, stdout);
			return EXIT_SUCCESS;
		}
		fputs(main_usage, stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (!cmd)
		die_usage("unknown command '%s'", argv[optind]);
	cmd_name = cmd->name;

	/* the command's name stands in for the program name */
	argc -= optind;
	argv += optind;
	help |= parse_options(argc, argv, false);
	if (help) {
		fputs(cmd->usage, stdout);
		return EXIT_SUCCESS;
	}
	args = argv + optind;
	nargs = argc - optind;
	if (nargs < cmd->min_args)
		die_usage("%s: missing argument", cmd->name);
	if (cmd->max_args >= 0 && nargs > cmd->max_args)
		die_usage("%s: unexpected argument '%s'", cmd->name,
			  args[cmd->max_args]);
	if (opt.json && cmd->run != cmd_list && cmd->run != cmd_read)
		die_usage("--json is for list and read");
	if (!opt.path_set && cmd->run == cmd_devmem)
		opt.mmap = true;	/* as busybox devmem */

	/* every usage error is found before a device is opened */
	req.has_addr = cmd->run != cmd_list;
	cmd->parse(nargs, args, &req);
	dev = open_device(cmd, &req);
	if (!dev)
		return EXIT_SUCCESS;	/* list, through the per-window nodes */
	ret = cmd->run(dev, &req);
	physwin_dev_close(dev);
	free(req.values);
	free(req.buf);
	return ret;
}
