/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "oip-image-item.h"
#include "oip-ozon-results.h"

G_BEGIN_DECLS

/* The rules a push and a bulk run share once Ozon has the images: what
 * each sent image's final state is, and which are sent again under a new
 * address when a push must put back images Ozon has seen before. */

/**
 * OipApplyCounts:
 * @n_imported: sent images the product has now, at new addresses
 * @n_skipped: sent images it had already (same address)
 * @n_failed: sent images it does not have
 */
typedef struct
{
  guint n_imported;
  guint n_skipped;
  guint n_failed;
} OipApplyCounts;

void   oip_push_apply_pictures    (GPtrArray           *sent_items,
                                   OipImageItem        *color_item,
                                   const OipPictures   *pictures,
                                   const char * const  *previous_images,
                                   const char          *previous_color,
                                   gboolean             settled,
                                   OipApplyCounts      *counts);
guint  oip_push_count_unkept      (GPtrArray           *sent_items);
guint  oip_push_readdress_unkept  (GPtrArray           *sent_items);

G_END_DECLS
