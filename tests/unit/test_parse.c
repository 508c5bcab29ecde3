// SPDX-License-Identifier: GPL-2.0
/* PCI addresses and kallsyms lookups. */
#include <unistd.h>

#include "kallsyms.h"
#include "kmod_ctl.h"
#include "trace_uname.h"
#include "tap.h"

static char path[] = "/tmp/ib-test-ksyms-XXXXXX";

static void write_path(const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

/* a kallsyms with a function, a compiler clone, data and a module's */
static struct ib_kallsyms *sample_kallsyms(void)
{
	char err[256];

	write_path("ffffffff81000000 T iommu_release_device\n"
		   "ffffffff81000100 t dmar_remove_one_dev_info.isra.0\n"
		   "ffffffff81000200 d some_data\n"
		   "ffffffff81000300 t mod_fn\t[e1000e]\n");
	return ib_kallsyms_load(path, err, sizeof(err));
}

static void uname_parses(void)
{
	struct ib_trace_uname u;

	memset(&u, 0, sizeof(u));
	ok(!ib_trace_uname_parse("Linux (none) 6.12.118+deb12-amd64 x86_64\n", &u) &&
	   !strcmp(u.release, "6.12.118+deb12-amd64") && !strcmp(u.machine, "x86_64") &&
	   !u.version[0], "uname as trace-cmd 3.1 records it: no version");
	memset(&u, 0, sizeof(u));
	ok(!ib_trace_uname_parse("Linux lab 6.1.0-57-amd64 #1 SMP PREEMPT_DYNAMIC Debian x86_64", &u) &&
	   !strcmp(u.release, "6.1.0-57-amd64") && !strcmp(u.machine, "x86_64") &&
	   !strcmp(u.version, "#1 SMP PREEMPT_DYNAMIC Debian"), "uname with a version of several words");
}

static void uname_refused(void)
{
	struct ib_trace_uname u;

	memset(&u, 0, sizeof(u));
	ok(ib_trace_uname_parse("Linux lab 6.1.0-57-amd64", &u), "uname without a machine refused");
	ok(ib_trace_uname_parse("cpus=2", &u), "a line that is no uname refused");
}

static void pci_address_parses(void)
{
	struct iommu_bench_dev d;
	char buf[32];

	ok(!ib_pci_parse("0000:00:1f.3", &d) && d.segment == 0 && d.bus == 0 &&
	   d.devfn == ((0x1f << 3) | 3), "full address");
	ok(!ib_pci_parse("02:00.1", &d) && d.bus == 2 && d.devfn == 1,
	   "short address means segment 0");
	ok(!ib_pci_parse("abcd:ff:1f.7", &d) && d.segment == 0xabcd,
	   "largest values");
	ib_pci_format(&d, buf, sizeof(buf));
	is_str(buf, "abcd:ff:1f.7", "format is the kernel's dev_name()");
}

static void pci_address_refused(void)
{
	struct iommu_bench_dev d;

	ok(ib_pci_parse("0000:00:20.0", &d), "slot 0x20 refused");
	ok(ib_pci_parse("0000:00:10.8", &d), "function 8 refused");
	ok(ib_pci_parse("0000:00:10.0x", &d), "trailing junk refused");
	ok(ib_pci_parse("eth0", &d), "a name is not an address");
}

static void pci_segment_over_16_bits(void)
{
	struct iommu_bench_dev d;
	char buf[32];

	ok(!ib_pci_parse("10000:00:10.0", &d) && d.segment == 0x10000,
	   "a segment over 16 bits, as VMD's");
	ib_pci_format(&d, buf, sizeof(buf));
	is_str(buf, "10000:00:10.0", "... formatted as the kernel names it");
	ok(ib_pci_parse("100000000:00:10.0", &d), "a segment over 32 bits refused");
}

static void kallsyms_finds_functions(void)
{
	struct ib_kallsyms *ks = sample_kallsyms();

	ok(ks != NULL, "kallsyms file loads");
	is_str(ib_kallsyms_find(ks, "iommu_release_device"), "iommu_release_device",
	       "exact symbol");
	is_str(ib_kallsyms_find(ks, "dmar_remove_one_dev_info"),
	       "dmar_remove_one_dev_info.isra.0", "compiler clone found");
	ib_kallsyms_free(ks);
}

static void kallsyms_finds_no_other(void)
{
	struct ib_kallsyms *ks = sample_kallsyms();

	ok(!ib_kallsyms_find(ks, "some_data"), "data symbols are not probe targets");
	ok(!ib_kallsyms_find(ks, "iommu_deinit_device"), "absent symbol");
	ib_kallsyms_free(ks);
}

/* the lines a trace.dat keeps, as the file had them */
static void kallsyms_prints_lines(void)
{
	struct ib_kallsyms *ks = sample_kallsyms();
	size_t outlen;
	char *out;
	FILE *f;

	f = open_memstream(&out, &outlen);
	ok(ib_kallsyms_print(ks, "mod_fn", f) == 1 &&
	   ib_kallsyms_print(ks, "iommu_release_device", f) == 1 &&
	   ib_kallsyms_print(ks, "dmar_remove_one_dev_info.isra.0", f) == 1,
	   "print: each symbol's line");
	ok(!ib_kallsyms_print(ks, "dmar_remove_one_dev_info", f) &&
	   !ib_kallsyms_print(ks, "some_data", f), "print: exact text symbols only");
	fclose(f);
	is_str(out, "ffffffff81000300 t mod_fn\t[e1000e]\n"
		    "ffffffff81000000 T iommu_release_device\n"
		    "ffffffff81000100 t dmar_remove_one_dev_info.isra.0\n",
	       "print: address, type, name and module as in the file");
	free(out);
	ib_kallsyms_free(ks);
}

/* the last line without its newline; spaces before a module */
static void kallsyms_prints_first_and_last(void)
{
	struct ib_kallsyms *ks;
	char err[256], *out;
	size_t outlen;
	FILE *f;

	write_path("ffffffff81000000 T first  [mod_a]\nffffffff81000010 t last");
	ks = ib_kallsyms_load(path, err, sizeof(err));
	f = open_memstream(&out, &outlen);
	ok(ks && ib_kallsyms_print(ks, "last", f) == 1 &&
	   ib_kallsyms_print(ks, "first", f) == 1, "print: first and last lines");
	fclose(f);
	is_str(out, "ffffffff81000010 t last\nffffffff81000000 T first\t[mod_a]\n",
	       "print: ... whole");
	free(out);
	ib_kallsyms_free(ks);
}

/* what is no kallsyms is refused, naming why, and never hangs */
static void kallsyms_without_text_refused(void)
{
	char err[256];

	write_path("");
	ok(!ib_kallsyms_load(path, err, sizeof(err)) && strstr(err, "no text symbol"),
	   "an empty file is no kallsyms");
	write_path("ffffffff81000200 d some_data\n");
	ok(!ib_kallsyms_load(path, err, sizeof(err)) && strstr(err, "no text symbol"),
	   "a file without text symbols is no kallsyms");
}

static void kallsyms_not_a_file_refused(void)
{
	char err[256];

	ok(!ib_kallsyms_load("/dev/zero", err, sizeof(err)) &&
	   strstr(err, "not a file (a device"), "/dev/zero is refused, not read forever");
	ok(!ib_kallsyms_load("/", err, sizeof(err)) && strstr(err, "a directory"),
	   "a directory is refused");
	ok(!ib_kallsyms_load("/nonexistent/kallsyms", err, sizeof(err)) &&
	   strstr(err, "No such file"), "a missing file is named");
}

static const struct tap_case cases[] = {
	TAP_CASE(uname_parses),
	TAP_CASE(uname_refused),
	TAP_CASE(pci_address_parses),
	TAP_CASE(pci_address_refused),
	TAP_CASE(pci_segment_over_16_bits),
	TAP_CASE(kallsyms_finds_functions),
	TAP_CASE(kallsyms_finds_no_other),
	TAP_CASE(kallsyms_prints_lines),
	TAP_CASE(kallsyms_prints_first_and_last),
	TAP_CASE(kallsyms_without_text_refused),
	TAP_CASE(kallsyms_not_a_file_refused),
};

TAP_MAIN_TMPFILE(cases, path)
