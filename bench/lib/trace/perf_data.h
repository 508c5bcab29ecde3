/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_perf_data: the tracepoint samples of a perf.data ("perf record -e
 * SYS:EVENT"), as libtraceevent records.  Each sample's raw record
 * (PERF_SAMPLE_RAW) is the same bytes ftrace writes, and the file's
 * tracing data section holds the event formats: so the run's own decoder
 * reads them, as it reads a trace.dat.  Only what import needs is read:
 * the header, the attrs and their sample layout, the samples and lost
 * records of the data section, and the features that say where and how
 * it was recorded.
 */
#ifndef IB_PERF_DATA_H
#define IB_PERF_DATA_H

#include <stddef.h>
#include <stdint.h>

struct tep_handle;
struct tep_record;
struct ib_perf_data;

struct ib_perf_info {
	char osrelease[128];	/* HEADER_OSRELEASE, "" if absent */
	char arch[64];		/* HEADER_ARCH */
	int nr_cpus;		/* HEADER_NRCPUS (available), 0 if absent */
	int system_wide;	/* every CPU's tasks traced: 1, 0, -1 unknown */
	uint64_t samples;	/* tracepoint samples */
	uint64_t lost;		/* samples perf says it lost (the larger of
				   its LOST and LOST_SAMPLES sums) */
};

/*
 * Did "perf record" with these @argc words (@argv[0] perf's path; as its
 * HEADER_CMDLINE keeps them) trace every task on every CPU?  1 with -a,
 * or with no command and no -p, -t or -u (perf's default then); 0 for a
 * command's own tasks or -C's CPUs; -1 when "record" is not among them.
 * Options end at "--" or the command, as perf's parse_options has it.
 */
int ib_perf_cmdline_system_wide(const char *const *argv, int argc);
/* "PERFILE2" at the start: 1, else 0 (also when @file cannot be read). */
int ib_perf_data_is(const char *file);
/*
 * Read @file's header, attrs, features and event formats: NULL with
 * @err filled when it is not a perf.data this reader understands (a
 * pipe-mode, compressed or directory recording, another byte order, no
 * tracing data), or is damaged.  A kprobe of perf's NAME__return in group
 * @rename_group is renamed NAME_ret, the collector's name for it.
 */
struct ib_perf_data *ib_perf_data_open(const char *file,
				       const char *rename_group, char *err,
				       size_t errlen);
void ib_perf_data_close(struct ib_perf_data *pd);
struct tep_handle *ib_perf_data_tep(struct ib_perf_data *pd);
const struct ib_perf_info *ib_perf_data_info(const struct ib_perf_data *pd);

/*
 * Call @fn on every tracepoint sample in time order (perf writes each
 * CPU's buffer in turn, so the file is not), with cpu, ts and, after a
 * lost record, missed_events set: 0, the first non-zero @fn return, or
 * -EINVAL with @err filled when a record is damaged.
 */
int ib_perf_data_iterate(struct ib_perf_data *pd,
			 int (*fn)(struct tep_record *rec, void *ctx),
			 void *ctx, char *err, size_t errlen);

#endif
