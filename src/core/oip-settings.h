/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OIP_SETTINGS_SCHEMA_ID "io.github.ozonpush.OzonImagePush"

/**
 * OipPushSettings:
 * @timeout: seconds one request may wait for Ozon
 * @max_retries: retries after the first attempt
 * @validate_urls: whether URL format is checked before sending
 *
 * The seed's backend configuration, as the seller set it in GSettings.
 */
typedef struct
{
  guint    timeout;
  guint    max_retries;
  gboolean validate_urls;
} OipPushSettings;

GSettings *oip_settings_new           (void);
void       oip_settings_set_backend   (GSettingsBackend *backend);
void       oip_push_settings_load     (OipPushSettings *settings);

G_END_DECLS
