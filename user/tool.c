// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * physwin: the command-line tool for /dev/physwin.  See physwin.1.
 *
 * Exit status: 0 success, 1 the operation failed, 2 bad usage.  Results go
 * to stdout, diagnostics to stderr prefixed "physwin:".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "physwin.h"

#define EXIT_USAGE	2
#define CHUNK		(64 * 1024)

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
	"  -d, --device PATH   device to use (default /dev/physwin; /dev/mem works)\n"
	"  -m, --mmap          access through mmap() (default for devmem)\n"
	"  -s, --syscall       access through pread()/pwrite() (default otherwise)\n"
	"  -j, --json          JSON output (list, read)\n"
	"  -h, --help          help; 'physwin COMMAND --help' for one command\n"
	"  -V, --version       the version\n"
	"\n"
	"Numbers: 0x hex, 0 octal, else decimal; LEN takes K, M, G suffixes.\n"
	"Exit status: 0 ok, 1 failed, 2 bad usage.\n";

struct command {
	const char *name;
	int min_args, max_args;		/* -1: no limit */
	bool writes;
	int (*run)(struct physwin_dev *dev, int argc, char **argv);
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
 * tell (physwin can, /dev/mem cannot), to name the problem precisely.
 */
static void check_range(struct physwin_dev *dev, uint64_t addr, uint64_t len)
{
	struct physwin_window *w = physwin_dev_find_window(dev, addr);
	uint64_t end;

	if (!w) {
		if (errno == EPERM)
			die_access(dev, addr, "access");
		return;		/* not a physwin device */
	}
	end = physwin_window_get_base(w) + physwin_window_get_size(w);
	if (add_addr(addr, len) > end) {
		fprintf(stderr, "physwin: 0x%" PRIx64 "+0x%" PRIx64 " runs past the end of window %s (0x%" PRIx64 "-0x%" PRIx64 ")\n",
			addr, len, physwin_window_get_name(w),
			physwin_window_get_base(w), end - 1);
		physwin_window_free(w);
		exit(EXIT_FAILURE);
	}
	physwin_window_free(w);
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

static int cmd_list(struct physwin_dev *dev, int argc, char **argv)
{
	static const char *const cache[] = { "uc", "wc", "wb" };
	int i, n = physwin_dev_get_window_count(dev);
	char flags[64];

	(void)argc;
	(void)argv;
	if (n < 0) {
		if (errno == ENOTTY)
			die("%s is not a physwin device: it has no window list",
			    physwin_dev_get_path(dev));
		die("%s: %s", physwin_dev_get_path(dev), strerror(errno));
	}
	if (opt.json)
		printf("[");
	else
		printf("%-5s %-16s %-18s %-12s %-6s %-5s %-5s %s\n", "INDEX",
		       "NAME", "BASE", "SIZE", "ACCESS", "CACHE", "WIDTH", "FLAGS");
	for (i = 0; i < n; i++) {
		struct physwin_window *w = physwin_dev_get_window(dev, i);
		unsigned int f, c;

		if (!w)
			die("window %d: %s", i, strerror(errno));
		f = physwin_window_get_flags(w);
		c = physwin_window_get_cache(w);
		if (opt.json) {
			printf("%s\n  {\"index\": %d, \"name\": \"%s\", \"base\": \"0x%" PRIx64 "\", \"size\": \"0x%" PRIx64 "\", \"access\": \"%s\", \"cache\": \"%s\", \"width\": %u, \"mappable\": %s, \"claimed\": %s, \"exact\": %s, \"gone\": %s}",
			       i ? "," : "", i, physwin_window_get_name(w),
			       physwin_window_get_base(w),
			       physwin_window_get_size(w),
			       f & PHYSWIN_WINDOW_READONLY ? "ro" : "rw",
			       c < 3 ? cache[c] : "?",
			       physwin_window_get_width(w),
			       f & PHYSWIN_WINDOW_MAPPABLE ? "true" : "false",
			       f & PHYSWIN_WINDOW_CLAIMED ? "true" : "false",
			       f & PHYSWIN_WINDOW_EXACT ? "true" : "false",
			       f & PHYSWIN_WINDOW_GONE ? "true" : "false");
		} else {
			printf("%-5d %-16s 0x%016" PRIx64 " 0x%-10" PRIx64 " %-6s %-5s %-5u %s\n",
			       i, physwin_window_get_name(w),
			       physwin_window_get_base(w),
			       physwin_window_get_size(w),
			       f & PHYSWIN_WINDOW_READONLY ? "ro" : "rw",
			       c < 3 ? cache[c] : "?",
			       physwin_window_get_width(w),
			       flag_names(f, flags, sizeof(flags)));
		}
		physwin_window_free(w);
	}
	if (opt.json)
		printf("%s]\n", n ? "\n" : "");
	return 0;
}

static int cmd_read(struct physwin_dev *dev, int argc, char **argv)
{
	uint64_t addr = arg_addr(argv[0]), value;
	unsigned int width = argc > 1 ? arg_width(argv[1]) : 32;

	if (addr % (width / 8))
		die_usage("address 0x%" PRIx64 " is not a multiple of %u bytes", addr, width / 8);
	if (reg_read(dev, addr, width, &value))
		die_access(dev, addr, "read");
	if (opt.json)
		printf("{\"address\": \"0x%" PRIx64 "\", \"width\": %u, \"value\": \"0x%0*" PRIx64 "\"}\n",
		       addr, width, (int)width / 4, value);
	else
		printf("0x%0*" PRIx64 "\n", (int)width / 4, value);
	return 0;
}

static int cmd_write(struct physwin_dev *dev, int argc, char **argv)
{
	uint64_t addr = arg_addr(argv[0]);
	unsigned int width = arg_width(argv[1]);
	uint64_t *values = calloc((size_t)argc, sizeof(*values));
	int i;

	if (!values)
		die("out of memory");
	if (addr % (width / 8))
		die_usage("address 0x%" PRIx64 " is not a multiple of %u bytes", addr, width / 8);
	/* parse every value before writing any */
	for (i = 2; i < argc; i++)
		values[i - 2] = arg_value(argv[i], width);
	for (i = 0; i < argc - 2; i++) {
		uint64_t a = add_addr(addr, (uint64_t)i * (width / 8));

		if (reg_write(dev, a, width, values[i]))
			die_access(dev, a, "write");
	}
	free(values);
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

static int cmd_dump(struct physwin_dev *dev, int argc, char **argv)
{
	uint64_t addr = arg_addr(argv[0]), len = arg_len(argv[1]);
	uint8_t *buf = malloc(CHUNK);
	uint64_t done = 0;

	(void)argc;
	if (!buf)
		die("out of memory");
	add_addr(addr, len);
	check_range(dev, addr, len);
	while (done < len) {
		size_t n = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
		size_t i;

		if (block_io(dev, addr + done, buf, n, false))
			die_access(dev, addr + done, "read");
		for (i = 0; i < n; i += 16)
			print_dump_line(addr + done + i, buf + i,
					n - i < 16 ? n - i : 16);
		done += n;
	}
	printf("%08" PRIx64 "\n", addr + len);
	free(buf);
	return 0;
}

static int cmd_load(struct physwin_dev *dev, int argc, char **argv)
{
	uint64_t addr = arg_addr(argv[0]), done = 0;
	const char *path = argv[1];
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	uint8_t *buf = malloc(CHUNK);
	ssize_t n;

	(void)argc;
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (!buf)
		die("out of memory");
	check_range(dev, addr, 1);
	while ((n = read(fd, buf, CHUNK)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("%s: %s", path, strerror(errno));
		}
		check_range(dev, add_addr(addr, done), (uint64_t)n);
		if (block_io(dev, addr + done, buf, (size_t)n, true))
			die_access(dev, addr + done, "write");
		done += (uint64_t)n;
	}
	if (fd)
		close(fd);
	free(buf);
	return 0;
}

static int cmd_save(struct physwin_dev *dev, int argc, char **argv)
{
	uint64_t addr = arg_addr(argv[0]), len = arg_len(argv[1]), done = 0;
	const char *path = argv[2];
	uint8_t *buf = malloc(CHUNK);
	int fd;

	(void)argc;
	if (!buf)
		die("out of memory");
	add_addr(addr, len);
	check_range(dev, addr, len);
	fd = strcmp(path, "-") ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666) : 1;
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	while (done < len) {
		size_t n = len - done < CHUNK ? (size_t)(len - done) : CHUNK, off = 0;

		if (block_io(dev, addr + done, buf, n, false))
			die_access(dev, addr + done, "read");
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
	free(buf);
	return 0;
}

/* One parsed script line: the operation's kind and where it came from. */
struct script_op {
	const char *kind;
	unsigned int line;
	uint64_t addr;
	unsigned int width;
	bool prints;
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
	return true;
}

/*
 * batch [FILE]: a register script, one operation per line, run in one
 * ioctl; the values read are printed in order.
 */
static int cmd_batch(struct physwin_dev *dev, int argc, char **argv)
{
	const char *path = argc ? argv[0] : "-";
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct physwin_batch *batch = physwin_batch_new();
	struct script_op *sops = calloc(1025, sizeof(*sops));
	unsigned int line = 0, n = 0, i, done;
	char text[512];
	int ret;

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (!batch || !sops)
		die("out of memory");
	while (fgets(text, sizeof(text), f)) {
		line++;
		if (script_line(batch, text, line, &sops[n]))
			n++;
	}
	if (f != stdin)
		fclose(f);
	if (!n)
		die_usage("%s: no operations", path);

	ret = physwin_batch_run(batch, dev);
	done = physwin_batch_get_done(batch);
	for (i = 0; i < done; i++)
		if (sops[i].prints)
			printf("0x%0*" PRIx64 "\n", (int)sops[i].width / 4,
			       physwin_batch_get_result(batch, i));
	if (ret) {
		int err = errno;

		if (err == ENOTTY)
			die("%s is not a physwin device: it has no batch call",
			    physwin_dev_get_path(dev));
		if (done == n)
			die("batch: %s", strerror(err));
		fprintf(stderr, "physwin: line %u: %s 0x%" PRIx64 ": %s\n",
			sops[done].line, sops[done].kind, sops[done].addr,
			strerror(err));
		if (err == EPERM)
			die_access(dev, sops[done].addr, sops[done].kind);
		exit(EXIT_FAILURE);
	}
	physwin_batch_free(batch);
	free(sops);
	return 0;
}

/*
 * busybox devmem: ADDRESS [WIDTH [VALUE]], width in bits or b/h/w/l,
 * default 32; a read prints 0x%0*llX, a write prints nothing.  Unlike
 * busybox, a malformed number or a value too wide is an error.
 */
static int cmd_devmem(struct physwin_dev *dev, int argc, char **argv)
{
	uint64_t addr = arg_addr(argv[0]), value;
	unsigned int width = 32;

	if (argc > 1 && parse_devmem_width(argv[1], &width))
		die_usage("bad width '%s': use 8, 16, 32, 64 or b, h, w, l", argv[1]);
	if (addr % (width / 8))
		die_usage("address 0x%" PRIx64 " is not a multiple of %u bytes", addr, width / 8);
	if (argc > 2) {
		value = arg_value(argv[2], width);
		if (reg_write(dev, addr, width, value))
			die_access(dev, addr, "write");
		return 0;
	}
	if (reg_read(dev, addr, width, &value))
		die_access(dev, addr, "read");
	printf("0x%0*" PRIX64 "\n", (int)width / 4, value);
	return 0;
}

static const struct command commands[] = {
	{ "list", 0, 0, false, cmd_list,
	  "usage: physwin list [--json]\n\n"
	  "List the windows: index, name, base, size, access, cache mode,\n"
	  "widest access in bits, and flags.\n" },
	{ "read", 1, 2, false, cmd_read,
	  "usage: physwin read ADDR [8|16|32|64] [--mmap|--syscall] [--json]\n\n"
	  "Read one register of WIDTH bits (default 32) with a single access and\n"
	  "print it as 0x followed by WIDTH/4 hex digits.  ADDR must be a multiple\n"
	  "of WIDTH/8.\n" },
	{ "write", 3, -1, true, cmd_write,
	  "usage: physwin write ADDR 8|16|32|64 VALUE [VALUE...] [--mmap|--syscall]\n\n"
	  "Write each VALUE with a single access of WIDTH bits, at ADDR, ADDR+WIDTH/8,\n"
	  "and so on.  Every VALUE is checked before the first is written; one that\n"
	  "does not fit in WIDTH bits is an error.\n" },
	{ "dump", 2, 2, false, cmd_dump,
	  "usage: physwin dump ADDR LEN [--mmap|--syscall]\n\n"
	  "Show LEN bytes at ADDR as hex and ASCII, in hexdump -C's layout.\n" },
	{ "load", 2, 2, true, cmd_load,
	  "usage: physwin load ADDR FILE [--mmap|--syscall]\n\n"
	  "Write the bytes of FILE ('-' for standard input) at ADDR, e.g. an FPGA\n"
	  "memory image.  The whole range must lie in one window.\n" },
	{ "save", 3, 3, false, cmd_save,
	  "usage: physwin save ADDR LEN FILE [--mmap|--syscall]\n\n"
	  "Write LEN bytes at ADDR to FILE ('-' for standard output).\n" },
	{ "batch", 0, 1, true, cmd_batch,
	  "usage: physwin batch [FILE]\n\n"
	  "Run a register script from FILE ('-' or none: standard input) in one\n"
	  "call, one operation per line, widths in bits, '#' starts a comment:\n\n"
	  "  read  ADDR WIDTH\n"
	  "  write ADDR WIDTH VALUE\n"
	  "  rmw   ADDR WIDTH MASK VALUE        bits under MASK become VALUE's, atomically\n"
	  "  poll  ADDR WIDTH MASK VALUE TIMEOUT_US   until (reg & MASK) == VALUE\n\n"
	  "The whole script is checked before anything runs; it stops at the first\n"
	  "failure.  Prints the value of each read, rmw (before) and poll (last),\n"
	  "in order, as 0x and WIDTH/4 hex digits.\n" },
	{ "devmem", 1, 3, false, cmd_devmem,
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
 * Returns true if --help was seen.
 */
static bool parse_options(int argc, char **argv, bool stop_at_command)
{
	bool help = false;
	int c;

	optind = 0;	/* glibc: start afresh, permutation state included */
	opterr = 0;
	while ((c = getopt_long(argc, argv, stop_at_command ? "+d:msjhV" : "d:msjhV",
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
			die_usage("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt && optopt != '?')
				die_usage("unknown option '-%c'", optopt);
			die_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	return help;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	struct physwin_dev *dev;
	int nargs, ret;
	char **args;
	bool help;

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

	dev = physwin_dev_open(opt.device,
			       !(cmd->writes || (cmd->run == cmd_devmem && nargs > 2)));
	if (!dev)
		die("%s: %s", opt.device ? opt.device : PHYSWIN_DEFAULT_DEVICE,
		    strerror(errno));
	ret = cmd->run(dev, nargs, args);
	physwin_dev_close(dev);
	return ret;
}
