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
 * HEADER_CMDLINE keeps them) trace every task on every CPU?  Options end
 * at "--" or the command, as perf's parse_options has it.
 *
 * Return: 1 with -a, or with no command and no -p, -t or -u (perf's
 * default then); 0 for a command's own tasks or -C's CPUs; -1, unknown
 * (not an errno), when "record" is not among them.
 */
int ib_perf_cmdline_system_wide(const char *const *argv, int argc);
/*
 * Is @file a perf.data ("PERFILE2" at the start)?
 *
 * Return: 1 if it is, else 0 (also when @file cannot be read).
 */
int ib_perf_data_is(const char *file);
/*
 * Read @file's header, attrs, features and event formats.  A kprobe of
 * perf's NAME__return in group @rename_group is renamed NAME_ret, the
 * collector's name for it.
 *
 * Return: the file, mapped (ib_perf_data_close() it), or NULL with errno
 * set and the reason in @err: the system's error when it cannot be read,
 * EINVAL when it is not a perf.data this reader understands (a pipe-mode,
 * compressed or directory recording, another byte order, no tracing
 * data) or is damaged.
 */
struct ib_perf_data *ib_perf_data_open(const char *file,
				       const char *rename_group, char *err,
				       size_t errlen);
/* Unmap @pd and free it and its event formats; NULL is ignored. */
void ib_perf_data_close(struct ib_perf_data *pd);
/* Return: the event formats of @pd (owned by @pd). */
struct tep_handle *ib_perf_data_tep(struct ib_perf_data *pd);
/*
 * Return: where and how @pd was recorded (owned by @pd); the counts of
 * samples and losses once ib_perf_data_iterate() has read them.
 */
const struct ib_perf_info *ib_perf_data_info(const struct ib_perf_data *pd);

/*
 * Call @fn on every tracepoint sample in time order (perf writes each
 * CPU's buffer in turn, so the file is not), with cpu, ts and, after a
 * lost record, missed_events set.
 *
 * Return: 0, the first non-zero @fn return, or -EINVAL with the reason
 * in @err when a record is damaged (then @fn is not called at all).
 */
int ib_perf_data_iterate(struct ib_perf_data *pd,
			 int (*fn)(struct tep_record *rec, void *ctx),
			 void *ctx, char *err, size_t errlen);

#endif
