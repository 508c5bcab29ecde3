/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_decoder: libtraceevent records -> struct ib_event.  The same decoder
 * serves the live tracefs instance and a recorded trace.
 */
#ifndef IB_DECODE_H
#define IB_DECODE_H

#include "event.h"
#include "probe_pack.h"

struct tep_handle;
struct tep_record;
struct ib_decoder;

/*
 * Events the decoder understands but the trace lacks are not an error;
 * one of the module's events without a field it writes is (NULL, @err).
 */
struct ib_decoder *ib_decoder_create(struct tep_handle *tep,
				     const struct ib_probeset *ps, char *err,
				     size_t errlen);
void ib_decoder_free(struct ib_decoder *d);
/* 1 and @out filled if @rec is one of ours, 0 if not. */
int ib_decoder_decode(struct ib_decoder *d, struct tep_record *rec,
		      struct ib_event *out);

#endif
