/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-json.h"
#include "oip-ozon-results.h"

static const char *state_names[] = {
  [OIP_IMPORT_PENDING] = "pending",
  [OIP_IMPORT_IMPORTED] = "imported",
  [OIP_IMPORT_FAILED] = "failed",
  [OIP_IMPORT_SKIPPED] = "skipped",
};

const char *
oip_import_state_to_string (OipImportState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

/**
 * oip_import_status_new_from_json:
 * @item: an entry of `result.items`
 *
 * An unknown status reads as pending, so a new state Ozon may add makes the
 * app wait (bounded by the timeout) instead of reporting a wrong outcome.
 *
 * Returns: (transfer full): the status
 */
OipImportStatus *
oip_import_status_new_from_json (JsonObject *item)
{
  OipImportStatus *self = g_new0 (OipImportStatus, 1);
  const char *status = oip_json_object_get_string (item, "status");
  JsonArray *errors = oip_json_object_get_array (item, "errors");

  self->state = OIP_IMPORT_PENDING;
  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_ascii_strcasecmp (status, state_names[i]) == 0)
      self->state = i;

  self->errors = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonObject *entry = json_array_get_object_element (errors, i);
      const char *message = oip_json_object_get_string (entry, "message");
      const char *description = oip_json_object_get_string (entry, "description");
      const char *code = oip_json_object_get_string (entry, "code");

      if (description != NULL && *description != '\0')
        message = description;
      if (message == NULL || *message == '\0')
        message = code;
      if (message != NULL)
        g_ptr_array_add (self->errors, g_strdup (message));
    }

  return self;
}

void
oip_import_status_free (OipImportStatus *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->errors);
  g_free (self);
}

OipImageError *
oip_image_error_new (const char *url,
                     const char *message)
{
  OipImageError *self = g_new0 (OipImageError, 1);

  self->url = g_strdup (url ? url : "");
  self->message = g_strdup (message ? message : "");
  return self;
}

void
oip_image_error_free (OipImageError *self)
{
  if (self == NULL)
    return;
  g_free (self->url);
  g_free (self->message);
  g_free (self);
}

/**
 * oip_pictures_new_from_json:
 * @item: an entry of `/v2/product/pictures/info`'s `items`
 *
 * `primary_photo` is often empty and every image, the main one included,
 * is then in `photo` (shared/ozon-api.md §3b), so the main image is
 * `primary_photo[0]` when present and `photo[0]` otherwise.
 *
 * Returns: (transfer full): the pictures
 */
OipPictures *
oip_pictures_new_from_json (JsonObject *item)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) primary = oip_json_object_get_strv (item, "primary_photo");
  g_auto(GStrv) photo = oip_json_object_get_strv (item, "photo");
  g_auto(GStrv) color = oip_json_object_get_strv (item, "color_photo");
  JsonArray *errors = oip_json_object_get_array (item, "errors");
  OipPictures *self = g_new0 (OipPictures, 1);

  if (primary[0] != NULL)
    g_strv_builder_add (builder, primary[0]);
  for (guint i = 0; photo[i] != NULL; i++)
    if (primary[0] == NULL || g_strcmp0 (primary[0], photo[i]) != 0)
      g_strv_builder_add (builder, photo[i]);
  self->images = g_strv_builder_end (builder);
  self->color_image = g_strdup (color[0]);

  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_image_error_free);
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonObject *entry = json_array_get_object_element (errors, i);

      if (entry != NULL)
        g_ptr_array_add (self->errors,
                         oip_image_error_new (oip_json_object_get_string (entry, "url"),
                                              oip_json_object_get_string (entry, "message")));
    }

  return self;
}

void
oip_pictures_free (OipPictures *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->images);
  g_free (self->color_image);
  g_ptr_array_unref (self->errors);
  g_free (self);
}
