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
 * A decoder of the events of @tep: the module's, the core's attach, the
 * collector's marker, the interrupts and @ps's probes (@ps may be NULL).
 * Events the decoder understands but the trace lacks are not an error;
 * one of the module's events without a field it writes is.
 *
 * Return: the decoder (ib_decoder_free() it), or NULL with errno EINVAL
 * and the reason in @err.
 */
struct ib_decoder *ib_decoder_create(struct tep_handle *tep,
				     const struct ib_probeset *ps, char *err,
				     size_t errlen);
/* Free @d; NULL is ignored. */
void ib_decoder_free(struct ib_decoder *d);
/*
 * Decode @rec into @out.  An event the decoder does not know is a hit all
 * the same: IB_EV_OTHER.
 *
 * Return: 1 with @out filled; 0 for a trace marker that is not the
 * collector's, or names no batch (skip it).
 */
int ib_decoder_decode(struct ib_decoder *d, struct tep_record *rec,
		      struct ib_event *out);

#endif
