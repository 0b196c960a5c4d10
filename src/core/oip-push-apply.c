/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-push-apply.h"
#include "oip-url.h"

static const OipImageError *
find_image_error (const OipPictures *pictures,
                  const char        *url)
{
  for (guint i = 0; i < pictures->errors->len; i++)
    {
      const OipImageError *error = g_ptr_array_index (pictures->errors, i);

      if (g_strcmp0 (error->url, url) == 0)
        return error;
    }
  return NULL;
}

static gboolean
strv_contains (const char * const *strv,
               const char         *value)
{
  return strv != NULL && value != NULL && g_strv_contains (strv, value);
}

/**
 * oip_push_apply_pictures:
 * @sent_items: (element-type OipImageItem): the images sent, in order,
 *   the color image among them
 * @color_item: (nullable): the one of @sent_items that is the color image
 * @pictures: what the product has now
 * @previous_images: (nullable): what it had right before the push
 * @previous_color: (nullable): its color image then
 * @settled: whether Ozon's task has ended
 * @counts: (out): the sent images by state
 *
 * Each image's state from what Ozon has now: imported (a new address the
 * product has), skipped (an address it had before: Ozon does not fetch it
 * again), failed (Ozon's error for it, or not on the product once the task
 * settled). With @settled %FALSE (the task still pending), only what Ozon
 * already reports changes.
 */
void
oip_push_apply_pictures (GPtrArray          *sent_items,
                         OipImageItem       *color_item,
                         const OipPictures  *pictures,
                         const char * const *previous_images,
                         const char         *previous_color,
                         gboolean            settled,
                         OipApplyCounts     *counts)
{
  *counts = (OipApplyCounts) { 0 };
  for (guint i = 0; i < sent_items->len; i++)
    {
      OipImageItem *item = g_ptr_array_index (sent_items, i);
      const char *url = oip_image_item_get_sent_url (item);
      const OipImageError *error = find_image_error (pictures, url);
      gboolean is_color = item == color_item;
      gboolean present = is_color ? g_strcmp0 (pictures->color_image, url) == 0
                                  : strv_contains ((const char * const *) pictures->images, url);
      gboolean before = is_color ? g_strcmp0 (previous_color, url) == 0
                                 : strv_contains (previous_images, url);

      if (error != NULL)
        oip_image_item_set_state (item, OIP_IMAGE_STATE_FAILED,
                                  _("Ozon could not take this image"), error->message);
      else if (present && !before)
        oip_image_item_set_state (item, OIP_IMAGE_STATE_IMPORTED, NULL, NULL);
      else if (present && settled)
        oip_image_item_set_state (item, OIP_IMAGE_STATE_SKIPPED, NULL, NULL);
      else if (settled)
        oip_image_item_set_state (item, OIP_IMAGE_STATE_FAILED, _("Ozon did not keep this image"), NULL);

      switch (oip_image_item_get_state (item))
        {
        case OIP_IMAGE_STATE_IMPORTED:
          counts->n_imported++;
          break;
        case OIP_IMAGE_STATE_SKIPPED:
          counts->n_skipped++;
          break;
        case OIP_IMAGE_STATE_FAILED:
          counts->n_failed++;
          break;
        default:
          break;
        }
    }
}

/* Images Ozon neither took nor reported an error for: it skipped an
 * address it had seen before. */
static gboolean
is_unkept (OipImageItem *item)
{
  return oip_image_item_get_state (item) == OIP_IMAGE_STATE_FAILED &&
         oip_image_item_get_ozon_message (item) == NULL &&
         oip_image_item_get_sent_url (item) != NULL;
}

/**
 * oip_push_count_unkept:
 *
 * Returns: how many of @sent_items Ozon dropped without a reason (an
 *   address it had seen before)
 */
guint
oip_push_count_unkept (GPtrArray *sent_items)
{
  guint count = 0;

  for (guint i = 0; i < sent_items->len; i++)
    count += is_unkept (g_ptr_array_index (sent_items, i));
  return count;
}

/**
 * oip_push_readdress_unkept:
 * @sent_items: (element-type OipImageItem): a push's images after
 *   oip_push_apply_pictures()
 *
 * Restoring an old list must change the product even though Ozon does
 * not fetch an address again that it has seen: what it skipped goes once
 * more under a new address (an `oipv` query parameter); the caller sends
 * the whole list again, since every import replaces all images. Those
 * images go back to queued.
 *
 * Returns: how many were given a new address
 */
guint
oip_push_readdress_unkept (GPtrArray *sent_items)
{
  g_autofree char *version = NULL;
  guint count = oip_push_count_unkept (sent_items);

  if (count == 0)
    return 0;
  version = g_strdup_printf ("%" G_GINT64_MODIFIER "x", g_get_real_time () / G_USEC_PER_SEC);
  for (guint i = 0; i < sent_items->len; i++)
    {
      OipImageItem *item = g_ptr_array_index (sent_items, i);

      if (is_unkept (item))
        {
          g_autofree char *url = oip_url_with_version (oip_image_item_get_sent_url (item), version);

          oip_image_item_set_sent_url (item, url);
          oip_image_item_set_state (item, OIP_IMAGE_STATE_QUEUED, NULL, NULL);
        }
    }
  return count;
}
