/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OIP_TYPE_THUMBNAIL_LOADER (oip_thumbnail_loader_get_type ())
G_DECLARE_FINAL_TYPE (OipThumbnailLoader, oip_thumbnail_loader, OIP, THUMBNAIL_LOADER, GObject)

OipThumbnailLoader *oip_thumbnail_loader_get_default (void);
OipThumbnailLoader *oip_thumbnail_loader_new         (GFile               *cache_dir);
void                oip_thumbnail_loader_load_async  (OipThumbnailLoader  *self,
                                                      const char          *url,
                                                      int                  size,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GdkTexture         *oip_thumbnail_loader_load_finish (OipThumbnailLoader  *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
void                oip_thumbnail_loader_clear_memory (OipThumbnailLoader *self);
guint               oip_thumbnail_loader_get_n_fetched (OipThumbnailLoader *self);

G_END_DECLS
