/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-error.h"
#include "oip-push-plan.h"
#include "oip-url.h"

static void
issue_free (gpointer data)
{
  OipValidationIssue *issue = data;

  g_free (issue->field);
  g_free (issue->url);
  g_free (issue);
}

void
oip_notice_free (OipNotice *notice)
{
  g_free (notice->field);
  g_free (notice);
}

OipNotice *
oip_notice_copy (const OipNotice *notice)
{
  OipNotice *copy = g_memdup2 (notice, sizeof *notice);

  copy->field = g_strdup (notice->field);
  return copy;
}

static void
add_issue (OipPushPlan  *self,
           OipIssueKind  kind,
           const char   *field,
           guint         index,
           const char   *url)
{
  OipValidationIssue *issue = g_new0 (OipValidationIssue, 1);

  issue->kind = kind;
  issue->field = g_strdup (field);
  issue->index = index;
  issue->url = g_strdup (url);
  g_ptr_array_add (self->errors, issue);
}

static void
add_notice (OipPushPlan   *self,
            OipNoticeKind  kind,
            const char    *field,
            guint          kept,
            guint          dropped)
{
  OipNotice *notice = g_new0 (OipNotice, 1);

  notice->kind = kind;
  notice->field = g_strdup (field);
  notice->kept = kept;
  notice->dropped = dropped;
  g_ptr_array_add (self->notices, notice);
}

/* Keeps the first @limit entries of @source in @dest and reports the rest. */
static void
take_truncated (OipPushPlan *self,
                GPtrArray   *dest,
                GPtrArray   *source,
                guint        limit,
                const char  *field)
{
  guint kept = MIN (source->len, limit);

  for (guint i = 0; i < kept; i++)
    g_ptr_array_add (dest, g_strdup (g_ptr_array_index (source, i)));

  if (source->len > limit)
    add_notice (self, OIP_NOTICE_TRUNCATED, field, kept, source->len - limit);
}

/* Whether @url may be sent at all. With checks on (the seed's
 * `ozon_push_validate_urls`), an absolute http(s) URL with a host; with
 * them off, still nothing a URL cannot hold raw: a control character,
 * space, U+FFFD or other non-ASCII character is refused either way. A
 * local file is fine here: it is uploaded before the push. */
static gboolean
url_acceptable (const char *url,
                gboolean    validate_urls)
{
  if (oip_url_is_local_file (url))
    return TRUE;
  return validate_urls ? oip_url_is_image_url (url) : oip_url_has_only_url_characters (url);
}

static void
check_urls (OipPushPlan *self,
            GPtrArray   *urls,
            const char  *field,
            gboolean     validate_urls,
            const char  *skip,
            GHashTable  *seen)
{
  for (guint i = 0; i < urls->len; i++)
    {
      const char *url = g_ptr_array_index (urls, i);

      /* The main image is checked once, under its own name. */
      if (skip != NULL && g_strcmp0 (url, skip) == 0)
        continue;
      if (!url_acceptable (url, validate_urls))
        add_issue (self, OIP_ISSUE_INVALID_URL, field, i, url);
      else if (seen != NULL && !g_hash_table_add (seen, (gpointer) url))
        add_issue (self, OIP_ISSUE_DUPLICATE_URL, field, i, url);
    }
}

/**
 * oip_push_plan_new:
 * @request: what the seller asked for
 * @validate_urls: whether to check URL format (the seed's
 *   `ozon_push_validate_urls`, on by default)
 *
 * Works out exactly what will be sent: arrays beyond the limits are
 * truncated (and the truncation noted), every URL that is sent is checked
 * (images, the main image wherever it stands, the color image, and the
 * 360° images although Ozon no longer takes them), duplicates are refused
 * (Ozon would show the same picture twice or drop one, and the seller most
 * likely added it twice by mistake), and so is a product_id that is
 * missing or not a whole number from 1 to 2^63-1.
 *
 * Returns: (transfer full): the plan; check @errors before sending
 */
OipPushPlan *
oip_push_plan_new (const OipPushRequest *request,
                   gboolean              validate_urls)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) colors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *primary;
  guint primary_index = 0;
  OipPushPlan *self;

  g_return_val_if_fail (request != NULL, NULL);

  self = g_new0 (OipPushPlan, 1);
  self->product_id = request->product_id_invalid == NULL ? request->product_id : 0;
  self->images = g_ptr_array_new_with_free_func (g_free);
  self->images360 = g_ptr_array_new_with_free_func (g_free);
  self->errors = g_ptr_array_new_with_free_func (issue_free);
  self->notices = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_notice_free);

  if (request->product_id_invalid != NULL)
    add_issue (self, OIP_ISSUE_INVALID_PRODUCT_ID, "product_id", 0, request->product_id_invalid);
  else if (request->product_id <= 0)
    add_issue (self, OIP_ISSUE_MISSING_PRODUCT_ID, "product_id", 0, "");

  /* The main image is always among what is sent: one that is not in the
   * list joins it at the front, and one that stands beyond the limit
   * moves to the front instead of being cut off (it would still be sent
   * as primary_image, unchecked). Either way it counts toward the limit. */
  primary = request->primary_image;
  if (primary != NULL &&
      (!g_ptr_array_find_with_equal_func (request->images, primary, g_str_equal, &primary_index) ||
       primary_index >= OIP_MAX_IMAGES))
    g_ptr_array_add (images, g_strdup (primary));
  else
    primary_index = G_MAXUINT;
  for (guint i = 0; i < request->images->len; i++)
    if (primary_index == G_MAXUINT || g_strcmp0 (g_ptr_array_index (request->images, i), primary) != 0)
      g_ptr_array_add (images, g_strdup (g_ptr_array_index (request->images, i)));

  take_truncated (self, self->images, images, OIP_MAX_IMAGES, "images");
  take_truncated (self, self->images360, request->images360, OIP_MAX_IMAGES360, "images360");
  take_truncated (self, colors, request->color_images, OIP_MAX_COLOR_IMAGES, "color_image");

  if (primary != NULL)
    {
      if (!url_acceptable (primary, validate_urls))
        add_issue (self, OIP_ISSUE_INVALID_URL, "primary_image", 0, primary);
      g_hash_table_add (seen, (gpointer) primary);
    }
  check_urls (self, self->images, "images", validate_urls, primary, seen);
  check_urls (self, self->images360, "images360", validate_urls, NULL, NULL);
  check_urls (self, colors, "color_image", validate_urls, NULL, NULL);

  if (colors->len > 0)
    self->color_image = g_strdup (g_ptr_array_index (colors, 0));

  if (primary != NULL && self->images->len > 0 &&
      g_strcmp0 (primary, g_ptr_array_index (self->images, 0)) != 0)
    self->primary_image = g_strdup (primary);
  /* Whatever is sent as the main image is one of the checked images. */
  g_assert (self->primary_image == NULL ||
            g_ptr_array_find_with_equal_func (self->images, self->primary_image, g_str_equal, NULL));

  if (self->images360->len > 0)
    add_notice (self, OIP_NOTICE_IMAGES360_UNSUPPORTED, "images360", 0, self->images360->len);

  return self;
}

void
oip_push_plan_free (OipPushPlan *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->images);
  g_ptr_array_unref (self->images360);
  g_ptr_array_unref (self->errors);
  g_ptr_array_unref (self->notices);
  g_free (self->color_image);
  g_free (self->primary_image);
  g_free (self);
}

/**
 * oip_push_plan_check:
 * @plan: a plan
 * @error: return location for %OIP_ERROR_PRODUCT_NOT_FOUND,
 *   %OIP_ERROR_NO_IMAGES or %OIP_ERROR_VALIDATION
 *
 * Returns: %TRUE if the plan may be sent
 */
gboolean
oip_push_plan_check (const OipPushPlan  *self,
                     GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->product_id <= 0)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND,
                           _("Product ID not found. Download the product information first."));
      return FALSE;
    }

  if (self->images->len == 0)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_NO_IMAGES,
                           _("No images to push. Add or process images first."));
      return FALSE;
    }

  if (self->errors->len > 0)
    {
      g_set_error (error, OIP_ERROR, OIP_ERROR_VALIDATION,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u image address cannot be sent",
                                "%u image addresses cannot be sent",
                                self->errors->len),
                   self->errors->len);
      return FALSE;
    }

  return TRUE;
}

/**
 * oip_issue_reason:
 *
 * Returns: the untranslated reason, as the seed's JSON gives it; pass it
 *   through gettext for display
 */
const char *
oip_issue_reason (OipIssueKind kind)
{
  switch (kind)
    {
    case OIP_ISSUE_INVALID_URL:
      return N_("Invalid URL format");
    case OIP_ISSUE_DUPLICATE_URL:
      return N_("Duplicate URL");
    case OIP_ISSUE_INVALID_PRODUCT_ID:
      return N_("Invalid product ID");
    case OIP_ISSUE_MISSING_PRODUCT_ID:
      return N_("Missing product ID");
    default:
      g_assert_not_reached ();
    }
}

/**
 * oip_issue_is_url:
 *
 * Returns: whether issues of @kind are about a URL (with an index in its
 *   list), rather than another field such as product_id
 */
gboolean
oip_issue_is_url (OipIssueKind kind)
{
  return kind == OIP_ISSUE_INVALID_URL || kind == OIP_ISSUE_DUPLICATE_URL;
}

const char *
oip_notice_code (OipNoticeKind kind)
{
  switch (kind)
    {
    case OIP_NOTICE_TRUNCATED:
      return "truncated";
    case OIP_NOTICE_IMAGES360_UNSUPPORTED:
      return "images360_unsupported";
    default:
      g_assert_not_reached ();
    }
}

/**
 * oip_notice_describe:
 *
 * Returns: (transfer full): a translated sentence for the seller
 */
char *
oip_notice_describe (const OipNotice *notice)
{
  switch (notice->kind)
    {
    case OIP_NOTICE_TRUNCATED:
      /* Said by the images' numbers, as the seller sees them. */
      if (g_strcmp0 (notice->field, "color_image") == 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u more color image is not sent: Ozon takes one",
                                             "%u more color images are not sent: Ozon takes one",
                                             notice->dropped),
                                notice->dropped);
      if (g_strcmp0 (notice->field, "images360") == 0)
        return notice->dropped == 1
               /* Translators: %1$u is the number of the 360° image dropped, %2$u the limit */
               ? g_strdup_printf (_("360° image %1$u is dropped: Ozon takes %2$u"),
                                  notice->kept + 1, notice->kept)
               /* Translators: “360° images 71 to 75 are dropped: Ozon takes 70” */
               : g_strdup_printf (_("360° images %1$u to %2$u are dropped: Ozon takes %3$u"),
                                  notice->kept + 1, notice->kept + notice->dropped, notice->kept);
      return notice->dropped == 1
             /* Translators: %1$u is the number of the image not sent, %2$u the limit (30) */
             ? g_strdup_printf (_("Image %1$u is not sent: Ozon takes %2$u"),
                                notice->kept + 1, notice->kept)
             /* Translators: “Images 31 to 35 are not sent: Ozon takes 30” */
             : g_strdup_printf (_("Images %1$u to %2$u are not sent: Ozon takes %3$u"),
                                notice->kept + 1, notice->kept + notice->dropped, notice->kept);
    case OIP_NOTICE_IMAGES360_UNSUPPORTED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Ozon no longer accepts 360° images: %u 360° image was not sent",
                                           "Ozon no longer accepts 360° images: %u 360° images were not sent",
                                           notice->dropped),
                              notice->dropped);
    default:
      g_assert_not_reached ();
    }
}
