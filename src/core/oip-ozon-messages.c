/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "oip-http.h"
#include "oip-json.h"
#include "oip-ozon-messages.h"

/* Ozon's own messages (shared/ozon-api.md §6 and §7) in the seller's
 * words. The seller reads the sentence; Ozon's text and the HTTP status
 * travel beside it (oip_error_set_ozon_details()) for a tooltip, the
 * details row and the command line's JSON. One table, so the client, the
 * push and the windows all say the same thing. */

typedef struct
{
  const char *needle;    /* lower case, found anywhere in Ozon's message */
  const char *code;      /* or Ozon's `code`, whole, any case */
  OipError    error;
  const char *sentence;
} KnownMessage;

static const KnownMessage known_messages[] = {
  { "invalid api-key", NULL, OIP_ERROR_INVALID_API_KEY,
    N_("Ozon did not accept the Client ID or API Key") },
  { "client-id and api-key headers are required", NULL, OIP_ERROR_INVALID_API_KEY,
    N_("Ozon did not receive a Client ID and API Key") },
  { "is deactivated", NULL, OIP_ERROR_API_KEY_DEACTIVATED,
    N_("The API Key is deactivated") },
  { "missing a required role", NULL, OIP_ERROR_API_KEY_ROLE,
    N_("The API Key does not have the role this action needs") },
  { "restricted to specific ip", NULL, OIP_ERROR_API_KEY_IP,
    N_("The API Key is restricted to other IP addresses") },
  { "rate limit per second", NULL, OIP_ERROR_RATE_LIMITED,
    N_("Too many requests to Ozon in one second") },
  /* Before the code both share: the daily limit's wording is not
   * documented [UNCONFIRMED]. */
  { "daily limit", NULL, OIP_ERROR_RATE_LIMITED,
    N_("You have reached Ozon’s daily limit on product changes") },
  { "operation items limits", "RESOURCE_EXHAUSTED", OIP_ERROR_RATE_LIMITED,
    N_("You have reached Ozon’s limit on product changes") },
  { "circle is open", NULL, OIP_ERROR_SERVER,
    N_("Ozon has paused this method after too many calls; it recovers in a few minutes") },
  { "internal error", NULL, OIP_ERROR_SERVER,
    N_("Ozon’s server could not finish the request in time") },
  { "method is not allowed", NULL, OIP_ERROR_METHOD_GONE,
    N_("Ozon does not offer this method") },
  { "obsolete method", NULL, OIP_ERROR_METHOD_GONE,
    N_("Ozon has switched this method off") },
  { "offer not signed", NULL, OIP_ERROR_ACCESS_DENIED,
    N_("Your seller offer with Ozon is not signed yet") },
  { "could not download", "all_image_failed", OIP_ERROR_IMPORT_FAILED,
    N_("Ozon could not download the image from its address; the link must be public and need no login") },
  { NULL, "all_image_unprocessed", OIP_ERROR_IMPORT_FAILED,
    N_("Ozon could not process the images; check that their links are public and need no login") },
  { "file size exceeded", NULL, OIP_ERROR_IMPORT_FAILED,
    N_("The image file is larger than Ozon accepts") },
};

/**
 * oip_ozon_message_lookup:
 * @ozon_message: (nullable): Ozon's `message`
 * @ozon_code: (nullable): Ozon's `code`, when it is a word
 * @code: (out) (optional): the #OipError it means
 * @sentence: (out) (optional): the seller's sentence, translated
 *
 * Returns: whether Ozon's message (or code) is one the app knows
 */
gboolean
oip_ozon_message_lookup (const char  *ozon_message,
                         const char  *ozon_code,
                         OipError    *code,
                         const char **sentence)
{
  g_autofree char *lower = ozon_message ? g_utf8_strdown (ozon_message, -1) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (known_messages); i++)
    {
      const KnownMessage *known = &known_messages[i];

      if ((lower != NULL && known->needle != NULL && strstr (lower, known->needle) != NULL) ||
          (ozon_code != NULL && known->code != NULL && g_ascii_strcasecmp (ozon_code, known->code) == 0))
        {
          if (code != NULL)
            *code = known->error;
          if (sentence != NULL)
            *sentence = _(known->sentence);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * oip_ozon_message_translate:
 *
 * For per-picture errors and import errors, shown beside their URL.
 *
 * Returns: (nullable): the seller's sentence for a known Ozon message or
 *   code, translated; %NULL for one the app does not know
 */
const char *
oip_ozon_message_translate (const char *ozon_message,
                            const char *ozon_code)
{
  const char *sentence = NULL;

  return oip_ozon_message_lookup (ozon_message, ozon_code, NULL, &sentence) ? sentence : NULL;
}

/**
 * oip_ozon_summary_for_code:
 *
 * Returns: a translated summary of an Ozon failure of kind @code, for
 *   when Ozon's words are not known (they then follow it)
 */
const char *
oip_ozon_summary_for_code (OipError code)
{
  switch ((int) code)
    {
    case OIP_ERROR_INVALID_API_KEY:
      return _("Ozon did not accept the Client ID or API Key");
    case OIP_ERROR_API_KEY_DEACTIVATED:
      return _("The API Key is deactivated");
    case OIP_ERROR_API_KEY_ROLE:
      return _("The API Key does not have the role this action needs");
    case OIP_ERROR_API_KEY_IP:
      return _("The API Key is restricted to other IP addresses");
    case OIP_ERROR_ACCESS_DENIED:
      return _("Ozon denied access");
    case OIP_ERROR_NOT_FOUND:
      return _("Ozon could not find what was asked for");
    case OIP_ERROR_METHOD_GONE:
      return _("Ozon has switched this method off");
    case OIP_ERROR_RATE_LIMITED:
      return _("Too many requests to Ozon");
    case OIP_ERROR_SERVER:
      return _("Ozon’s server had a problem");
    default:
      return _("Ozon rejected the request");
    }
}

/* Not in libsoup 3.2's SoupStatus. */
#define STATUS_TOO_MANY_REQUESTS 429

static OipError
code_for_status (guint       http_status,
                 const char *ozon_code)
{
  gint64 number;

  switch (http_status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return OIP_ERROR_INVALID_API_KEY;
    case SOUP_STATUS_FORBIDDEN:
      return OIP_ERROR_ACCESS_DENIED;
    case SOUP_STATUS_NOT_FOUND:
      return OIP_ERROR_NOT_FOUND;
    case SOUP_STATUS_GONE:
      return OIP_ERROR_METHOD_GONE;
    case STATUS_TOO_MANY_REQUESTS:
      return OIP_ERROR_RATE_LIMITED;
    default:
      break;
    }
  if (http_status >= 500)
    return OIP_ERROR_SERVER;

  /* An error body in a 2xx: its gRPC code is all there is to go by. */
  if (SOUP_STATUS_IS_SUCCESSFUL (http_status) && ozon_code != NULL &&
      g_ascii_string_to_signed (ozon_code, 10, 0, 100, &number, NULL))
    switch (number)
      {
      case 5:
        return OIP_ERROR_NOT_FOUND;
      case 7:
        return OIP_ERROR_ACCESS_DENIED;
      case 8:
        return OIP_ERROR_RATE_LIMITED;
      case 13:
      case 14:
        return OIP_ERROR_SERVER;
      case 16:
        return OIP_ERROR_INVALID_API_KEY;
      default:
        break;
      }
  return OIP_ERROR_REJECTED;
}

/**
 * oip_ozon_error_new:
 * @http_status: the answer's status, or 0
 * @ozon_code: (nullable): Ozon's `code`, as text
 * @ozon_message: (nullable): Ozon's `message`
 *
 * The error for a failed answer: a known message becomes the seller's
 * sentence; an unknown one follows a summary of its kind, as Ozon wrote it
 * (cleaned and bounded). Never “HTTP nnn” in the sentence: the status and
 * Ozon's words are in the error's details.
 *
 * Returns: (transfer full): an %OIP_ERROR error
 */
GError *
oip_ozon_error_new (guint       http_status,
                    const char *ozon_code,
                    const char *ozon_message)
{
  g_autofree char *shown = oip_http_clean_text (ozon_message, -1, OIP_HTTP_MAX_TEXT);
  g_autofree char *kept = oip_http_clean_text (ozon_message, -1, 4 * OIP_HTTP_MAX_TEXT);
  const char *sentence = NULL;
  OipError code;
  GError *error;

  if (oip_ozon_message_lookup (shown, ozon_code, &code, &sentence))
    error = g_error_new_literal (OIP_ERROR, code, sentence);
  else
    {
      code = code_for_status (http_status, ozon_code);
      if (shown != NULL)
        /* TRANSLATORS: a summary, then Ozon's own message (in Russian or English) */
        error = g_error_new (OIP_ERROR, code, _("%s: %s"), oip_ozon_summary_for_code (code), shown);
      else
        error = g_error_new_literal (OIP_ERROR, code, oip_ozon_summary_for_code (code));
    }

  oip_error_set_ozon_details (error, http_status, kept);
  return error;
}

/**
 * oip_ozon_body_is_error:
 * @root: an answer's object
 *
 * A 200 can carry an error body (the web version reported a bad key as
 * success because it only looked for “error”): the old `{error: {…}}`,
 * or a non-zero `code` beside a `message`.
 */
gboolean
oip_ozon_body_is_error (JsonObject *root)
{
  JsonNode *code = json_object_get_member (root, "code");
  gboolean has_error_code = FALSE;

  if (code != NULL && JSON_NODE_HOLDS_VALUE (code))
    {
      GType type = json_node_get_value_type (code);

      has_error_code = type == G_TYPE_STRING ||
                       (type == G_TYPE_INT64 && json_node_get_int (code) != 0);
    }
  return json_object_has_member (root, "error") ||
         (has_error_code && json_object_has_member (root, "message"));
}

static char *
code_text (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "code");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return oip_http_clean_text (json_node_get_string (node), -1, 100);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

/**
 * oip_ozon_error_from_body:
 * @http_status: the answer's status
 * @data: (array length=length) (nullable): the answer's body
 *
 * Ozon's error bodies come as `{code, message}` (code an int or a
 * string), as the older `{error: {code, message}}`, or as an HTML page
 * from a proxy (its title is kept); anything else, however large, deep or
 * broken, still gives a clean error.
 *
 * Returns: (transfer full): an %OIP_ERROR error
 */
GError *
oip_ozon_error_from_body (guint       http_status,
                          const char *data,
                          gsize       length)
{
  g_autoptr(JsonNode) root = oip_json_parse (data, length, OIP_OZON_MAX_ANSWER, NULL);
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  gsize start = 0;

  while (data != NULL && start < length && g_ascii_isspace (data[start]))
    start++;

  /* json-glib refuses raw bytes that are not UTF-8: Ozon's words are read
   * all the same from the repaired text. */
  if (root == NULL && data != NULL && length > 0 && length <= OIP_OZON_MAX_ANSWER &&
      !g_utf8_validate_len (data, length, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (data, length);

      root = oip_json_parse (valid, strlen (valid), OIP_OZON_MAX_ANSWER, NULL);
    }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonObject *inner = oip_json_object_get_object (object, "error");

      code = code_text (inner ? inner : object);
      message = g_strdup (oip_json_object_get_string (inner ? inner : object, "message"));
    }
  else if (root == NULL && start < length)
    {
      g_autoptr(GBytes) body = g_bytes_new (data, length);

      /* A proxy's page says what went wrong in its title; plain text is
       * shown as it is, bounded; broken JSON is not shown at all. */
      if (data[start] == '<')
        message = oip_http_html_title (body);
      else if (data[start] != '{' && data[start] != '[')
        message = oip_http_clean_text (data, length, OIP_HTTP_MAX_TEXT);
    }

  return oip_ozon_error_new (http_status, code, message);
}
