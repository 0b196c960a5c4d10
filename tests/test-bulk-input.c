/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a bulk push's input: a seller's CSV and a studio's folder of
 * product folders, with the files real and made by the test. */
#include "config.h"

#include <locale.h>
#include <time.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "oip-bulk-input.h"
#include "oip-error.h"
#include "oip-test-util.h"

#define ANY_LINE G_MAXUINT

/* ---- Helpers ---- */

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("oip-bulk-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR) &&
      (dir = g_dir_open (path, 0, NULL)) != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  /* Neither atomic nor synced: thousands of files must be quick. */
  g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
}

/* A real picture, made here: nothing binary is kept in git. */
static guint64
write_picture (const char *path,
               const char *type)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf buf;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  if (g_str_equal (type, "webp") || g_str_equal (type, "heic"))
    {
      /* The reader looks at the first bytes only. */
      static const char webp[] = "RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00";
      static const char heic[] = "\x00\x00\x00\x18" "ftypheic\x00\x00\x00\x00mif1heic";

      write_file (path, g_str_equal (type, "webp") ? webp : heic,
                  g_str_equal (type, "webp") ? sizeof webp - 1 : sizeof heic - 1);
    }
  else
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 16, 12);

      gdk_pixbuf_fill (pixbuf, 0xc04020ff);
      gdk_pixbuf_save (pixbuf, path, type, &error, NULL);
      g_assert_no_error (error);
    }
  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_size;
}

static guint64
pic (const char *dir,
     const char *name,
     const char *type)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return write_picture (path, type);
}

static void
txt (const char *dir,
     const char *name,
     const char *contents,
     gssize      length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  write_file (path, contents, length);
}

static void
link_to (const char *target,
         const char *dir,
         const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (symlink (target, path), ==, 0);
}

static char *
uri_of (const char *dir,
        const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_filename_to_uri (path, NULL, NULL);
}

static OipBulkInput *
parse_in (const char  *dir,
          const char  *text,
          gssize       length,
          GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "products.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return oip_bulk_input_parse_csv (text, length < 0 ? strlen (text) : (gsize) length, file, error);
}

static OipBulkInput *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  OipBulkInput *input = parse_in ("/srv/shop", text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (input);
  return input;
}

static void
parse_fails (const char *text,
             gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OipBulkInput) input = parse_in ("/srv/shop", text, length, &error);

  g_assert_null (input);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static const OipBulkProblem *
find_problem (GPtrArray  *problems,
              const char *code,
              guint       line)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const OipBulkProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->code, code) && (line == ANY_LINE || problem->line == line))
        return problem;
    }
  return NULL;
}

static const OipBulkProblem *
find_problem_at (GPtrArray  *problems,
                 const char *code,
                 const char *where)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const OipBulkProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->code, code) && g_str_equal (problem->where, where))
        return problem;
    }
  return NULL;
}

static guint
count_code (GPtrArray  *problems,
            const char *code)
{
  guint count = 0;

  for (guint i = 0; i < problems->len; i++)
    if (g_str_equal (((OipBulkProblem *) g_ptr_array_index (problems, i))->code, code))
      count++;
  return count;
}

static void
assert_problem (GPtrArray  *problems,
                const char *code,
                guint       line)
{
  const OipBulkProblem *problem = find_problem (problems, code, line);

  if (problem == NULL)
    {
      for (guint i = 0; i < problems->len; i++)
        {
          const OipBulkProblem *p = g_ptr_array_index (problems, i);
          g_printerr ("  have %s line %u at %s: %s\n", p->code, p->line, p->where, p->message);
        }
      g_error ("no problem %s at line %u", code, line);
    }
  g_assert_nonnull (problem->message);
  g_assert_true (g_utf8_validate (problem->message, -1, NULL));
  if (line != ANY_LINE && line > 0)
    {
      g_autofree char *suffix = g_strdup_printf (":%u", line);
      g_assert_true (g_str_has_suffix (problem->where, suffix));
    }
}

static void
assert_images (OipBulkEntry *entry,
               ...)
{
  va_list args;
  const char *expected;
  guint i = 0;

  g_assert_nonnull (entry);
  va_start (args, entry);
  while ((expected = va_arg (args, const char *)) != NULL)
    {
      g_assert_cmpuint (i, <, entry->images->len);
      g_assert_cmpstr (g_ptr_array_index (entry->images, i), ==, expected);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (entry->images->len, ==, i);
}

static OipBulkEntry *
entry_at (OipBulkInput *input,
          guint         index)
{
  g_assert_cmpuint (index, <, input->entries->len);
  return g_ptr_array_index (input->entries, index);
}

/* ---- CSV ---- */

static void
test_csv_comma_bom_crlf (void)
{
  /* What Excel's “CSV UTF-8” writes: a BOM and CRLF. */
  const char *text =
    "\xef\xbb\xbfoffer_id,images,primary_image,color_image\r\n"
    "ART-1001,\"https://cdn.example.com/a/1.jpg https://cdn.example.com/a/2.jpg\r\nhttps://cdn.example.com/a/3.jpg\",,https://cdn.example.com/a/swatch.jpg\r\n"
    "ART-1002,https://cdn.example.com/b/1.jpg|https://cdn.example.com/b/2.jpg,https://cdn.example.com/b/2.jpg,\r\n"
    "\"ART,1003\",\"https://cdn.example.com/c/1.jpg;https://cdn.example.com/c/2.jpg\",,\r\n";
  g_autoptr(OipBulkInput) input = parse (text);
  OipBulkEntry *entry;

  g_assert_cmpuint (input->problems->len, ==, 0);
  g_assert_cmpuint (input->entries->len, ==, 3);

  entry = entry_at (input, 0);
  g_assert_cmpint (entry->key, ==, OIP_PRODUCT_KEY_OFFER_ID);
  g_assert_cmpstr (entry->value, ==, "ART-1001");
  g_assert_cmpuint (entry->line, ==, 2);
  g_assert_cmpstr (entry->where, ==, "products.csv:2");
  assert_images (entry, "https://cdn.example.com/a/1.jpg", "https://cdn.example.com/a/2.jpg",
                 "https://cdn.example.com/a/3.jpg", NULL);
  g_assert_cmpstr (entry->color_image, ==, "https://cdn.example.com/a/swatch.jpg");
  g_assert_cmpuint (entry->local_bytes, ==, 0);
  g_assert_cmpuint (entry->problems->len, ==, 0);

  /* The quoted line break counts: this row starts on line 4. */
  entry = entry_at (input, 1);
  g_assert_cmpuint (entry->line, ==, 4);
  /* primary_image moves to the front, once. */
  assert_images (entry, "https://cdn.example.com/b/2.jpg", "https://cdn.example.com/b/1.jpg", NULL);
  g_assert_null (entry->color_image);

  entry = entry_at (input, 2);
  g_assert_cmpstr (entry->value, ==, "ART,1003");
  assert_images (entry, "https://cdn.example.com/c/1.jpg", "https://cdn.example.com/c/2.jpg", NULL);
}

static void
test_csv_semicolon_quotes (void)
{
  /* Excel in a Russian locale writes semicolons. */
  const char *text =
    "Offer ID;Images;Color-Image\n"
    "\"ART \"\"Mug\"\" 350\";\"https://x.example/1.jpg, https://x.example/2.jpg\";\n"
    "\"ART;2\";https://x.example/3.jpg,https://x.example/4.jpg;\"\"\n"
    "ART-3;\"https://img.example/upload/w_100,h_200/p.jpg\";\"https://img.example/c;v=2.jpg\"\n";
  g_autoptr(OipBulkInput) input = parse (text);

  g_assert_cmpuint (input->problems->len, ==, 0);
  g_assert_cmpuint (input->entries->len, ==, 3);
  g_assert_cmpstr (entry_at (input, 0)->value, ==, "ART \"Mug\" 350");
  assert_images (entry_at (input, 0), "https://x.example/1.jpg", "https://x.example/2.jpg", NULL);
  g_assert_cmpstr (entry_at (input, 1)->value, ==, "ART;2");
  assert_images (entry_at (input, 1), "https://x.example/3.jpg", "https://x.example/4.jpg", NULL);
  g_assert_null (entry_at (input, 1)->color_image);
  /* A comma or semicolon inside an address is not a separator. */
  assert_images (entry_at (input, 2), "https://img.example/upload/w_100,h_200/p.jpg", NULL);
  g_assert_cmpstr (entry_at (input, 2)->color_image, ==, "https://img.example/c;v=2.jpg");
}

static void
test_csv_delimiter_detection (void)
{
  g_autoptr(OipBulkInput) sep = NULL;
  g_autoptr(OipBulkInput) quoted = NULL;
  g_autoptr(OipBulkInput) cr = NULL;

  /* Excel's “sep=” line says it, whatever the header has more of. */
  sep = parse ("sep=;\noffer_id;images;notes,with,commas\nA-1;https://x.example/1.jpg;a,b\n");
  g_assert_cmpuint (sep->entries->len, ==, 1);
  assert_problem (sep->problems, "unknown_column", 2);
  g_assert_cmpuint (entry_at (sep, 0)->line, ==, 3);

  /* Delimiters inside a quoted header name do not count. */
  quoted = parse ("\"x;y;z;w\",offer_id,images\nnote,A-1,https://x.example/1.jpg\n");
  g_assert_cmpuint (quoted->entries->len, ==, 1);
  assert_problem (quoted->problems, "unknown_column", 1);
  g_assert_nonnull (strstr (find_problem (quoted->problems, "unknown_column", 1)->message, "x;y;z;w"));

  /* Old Mac line ends. */
  cr = parse ("offer_id,images\rA-1,https://x.example/1.jpg\r\rA-2,https://x.example/2.jpg\r");
  g_assert_cmpuint (cr->entries->len, ==, 2);
  g_assert_cmpuint (entry_at (cr, 1)->line, ==, 4);
}

static void
test_csv_quoted_newlines_lines (void)
{
  const char *text =
    "offer_id,images\n"
    "A-1,\"https://x.example/1.jpg\n"
    "https://x.example/2.jpg\n"
    "\n"
    "https://x.example/3.jpg\"\n"
    "\n"
    ",https://x.example/4.jpg\n"
    "A-3,\"https://x.example/5.jpg\"\" junk\",extra\n"
    "A-4,\"https://x.example/6.jpg\"tail\n";
  g_autoptr(OipBulkInput) input = parse (text);

  g_assert_cmpuint (input->entries->len, ==, 2);
  assert_images (entry_at (input, 0), "https://x.example/1.jpg", "https://x.example/2.jpg",
                 "https://x.example/3.jpg", NULL);
  /* Physical lines: the empty identifier is on line 7, the extra cell on 8. */
  assert_problem (input->problems, "empty_identifier", 7);
  assert_problem (input->problems, "field_count", 8);
  /* Text after a closing quote is kept, as spreadsheets do. */
  assert_images (entry_at (input, 1), "https://x.example/6.jpgtail", NULL);
  g_assert_cmpuint (entry_at (input, 1)->line, ==, 9);
}

static void
test_csv_empty_cells_blank_rows (void)
{
  const char *text =
    "offer_id;images;primary_image;color_image\n"
    "A-1;https://x.example/1.jpg;;\n"
    ";;;\n"
    "   \n"
    "\n"
    "A-2;;https://x.example/main.jpg;\n"
    "A-3;;;https://x.example/c.jpg\n"
    "A-4;https://x.example/4.jpg;;;\n"
    "A-3;https://x.example/3.jpg;;\n";
  g_autoptr(OipBulkInput) input = parse (text);

  g_assert_cmpuint (input->entries->len, ==, 4);
  assert_images (entry_at (input, 0), "https://x.example/1.jpg", NULL);
  /* Only a primary image is one image. */
  assert_images (entry_at (input, 1), "https://x.example/main.jpg", NULL);
  /* A trailing delimiter is harmless. */
  assert_images (entry_at (input, 2), "https://x.example/4.jpg", NULL);
  /* A-3's first row had no images: it is reported and the next one counts. */
  assert_problem (input->problems, "no_images", 7);
  g_assert_cmpstr (entry_at (input, 3)->value, ==, "A-3");
  g_assert_cmpuint (entry_at (input, 3)->line, ==, 9);
  g_assert_cmpuint (input->problems->len, ==, 1);
}

static void
test_csv_duplicates (void)
{
  g_autoptr(OipBulkInput) rows = NULL;
  g_autoptr(OipBulkInput) per_image = NULL;

  rows = parse ("offer_id,images\n"
                "A-1,https://x.example/1.jpg\n"
                "A-2,https://x.example/2.jpg\n"
                "A-1,https://x.example/other.jpg\n"
                "A-1 ,https://x.example/again.jpg\n");
  g_assert_cmpuint (rows->entries->len, ==, 2);
  assert_images (entry_at (rows, 0), "https://x.example/1.jpg", NULL);
  assert_problem (rows->problems, "duplicate_identifier", 4);
  /* Trimmed, it is the same offer ID. */
  assert_problem (rows->problems, "duplicate_identifier", 5);
  g_assert_nonnull (strstr (find_problem (rows->problems, "duplicate_identifier", 4)->message, "2"));

  /* With a position column, rows of one product gather. */
  per_image = parse ("offer_id,image,position\n"
                     "A-1,https://x.example/1.jpg,1\n"
                     "A-2,https://x.example/b.jpg,1\n"
                     "A-1,https://x.example/2.jpg,2\n");
  g_assert_cmpuint (per_image->problems->len, ==, 0);
  g_assert_cmpuint (per_image->entries->len, ==, 2);
  assert_images (entry_at (per_image, 0), "https://x.example/1.jpg", "https://x.example/2.jpg", NULL);
}

static void
test_csv_per_image (void)
{
  const char *text =
    "sku,image,position,primary_image,color_image\n"
    "1733002211,https://x.example/c.jpg,3,,\n"
    "1733002211,https://x.example/a.jpg,1,https://x.example/b.jpg,https://x.example/sw.jpg\n"
    "1733002211,https://x.example/d.jpg,10,,\n"
    "1733002211,https://x.example/b.jpg,2,https://x.example/a.jpg,https://x.example/sw2.jpg\n"
    "1733002211,https://x.example/e.jpg,3,,\n"
    "1733002211,https://x.example/f.jpg,,,\n"
    "1733002211,https://x.example/g.jpg,1.5,,\n"
    "1733002211,https://x.example/h.jpg,two,,\n"
    "1733002211,,,,\n"
    "555,https://x.example/z.jpg,0,https://x.example/new-main.jpg,\n";
  g_autoptr(OipBulkInput) input = parse (text);
  OipBulkEntry *entry;

  g_assert_cmpuint (input->entries->len, ==, 2);
  entry = entry_at (input, 0);
  g_assert_cmpint (entry->key, ==, OIP_PRODUCT_KEY_SKU);
  g_assert_cmpstr (entry->value, ==, "1733002211");
  g_assert_cmpuint (entry->line, ==, 2);
  /* Sorted by position (10 after 3, numerically), equal positions in row
   * order, the first primary_image first. */
  assert_images (entry, "https://x.example/b.jpg", "https://x.example/a.jpg",
                 "https://x.example/c.jpg", "https://x.example/e.jpg", "https://x.example/d.jpg", NULL);
  g_assert_cmpstr (entry->color_image, ==, "https://x.example/sw.jpg");
  assert_problem (entry->problems, "conflicting_primary", 5);
  assert_problem (entry->problems, "conflicting_color", 5);
  assert_problem (entry->problems, "duplicate_position", 6);
  g_assert_cmpuint (entry->problems->len, ==, 3);

  assert_problem (input->problems, "missing_position", 7);
  assert_problem (input->problems, "bad_position", 8);
  assert_problem (input->problems, "bad_position", 9);
  g_assert_cmpuint (input->problems->len, ==, 3);

  /* A primary image that is not among the rows is added in front. */
  assert_images (entry_at (input, 1), "https://x.example/new-main.jpg", "https://x.example/z.jpg", NULL);
}

static void
test_csv_identifiers (void)
{
  g_autofree char *long_ok = NULL;
  g_autofree char *long_bad = NULL;
  g_autofree char *text = NULL;
  g_autoptr(OipBulkInput) ids = NULL;
  g_autoptr(OipBulkInput) offers = NULL;
  g_autoptr(GString) cyrillic = g_string_new (NULL);

  ids = parse ("product_id,images\n"
               "214365879,https://x.example/1.jpg\n"
               "0214365880,https://x.example/2.jpg\n"
               "9223372036854775807,https://x.example/3.jpg\n"
               "9223372036854775808,https://x.example/4.jpg\n"
               "0,https://x.example/5.jpg\n"
               "-7,https://x.example/6.jpg\n"
               "12a,https://x.example/7.jpg\n"
               "1.73E+09,https://x.example/8.jpg\n"
               "\" 42 \",https://x.example/9.jpg\n"
               ",https://x.example/10.jpg\n");
  g_assert_cmpuint (ids->entries->len, ==, 4);
  g_assert_cmpint (entry_at (ids, 0)->key, ==, OIP_PRODUCT_KEY_PRODUCT_ID);
  /* Canonical, so 0214365880 and 214365880 are one product. */
  g_assert_cmpstr (entry_at (ids, 1)->value, ==, "214365880");
  g_assert_cmpstr (entry_at (ids, 2)->value, ==, "9223372036854775807");
  g_assert_cmpstr (entry_at (ids, 3)->value, ==, "42");
  for (guint line = 5; line <= 9; line++)
    assert_problem (ids->problems, "bad_identifier", line);
  /* The spreadsheet's shortened number gets its own advice. */
  g_assert_nonnull (strstr (find_problem (ids->problems, "bad_identifier", 9)->message, "product_id"));
  assert_problem (ids->problems, "empty_identifier", 11);
  g_assert_cmpuint (ids->problems->len, ==, 6);

  /* 50 characters is Ozon's limit, counted in characters, not bytes. */
  for (guint i = 0; i < 50; i++)
    g_string_append (cyrillic, "Ж");
  long_ok = g_strdup (cyrillic->str);
  long_bad = g_strconcat (cyrillic->str, "1", NULL);
  text = g_strdup_printf ("offer_id,images\n"
                          "%s,https://x.example/1.jpg\n"
                          "%s,https://x.example/2.jpg\n"
                          "\"A\tB\",https://x.example/3.jpg\n"
                          "UNKNOWN-ON-OZON,https://x.example/4.jpg\n",
                          long_ok, long_bad);
  offers = parse (text);
  g_assert_cmpuint (offers->entries->len, ==, 2);
  g_assert_cmpstr (entry_at (offers, 0)->value, ==, long_ok);
  assert_problem (offers->problems, "bad_identifier", 3);
  assert_problem (offers->problems, "bad_identifier", 4);
  /* Products are looked up later: an unknown one is kept. */
  g_assert_nonnull (oip_bulk_input_find (offers, "UNKNOWN-ON-OZON"));
}

static void
test_csv_many_images (void)
{
  g_autoptr(GString) text = g_string_new ("offer_id,images\nA-1,\"");
  g_autoptr(OipBulkInput) input = NULL;
  OipBulkEntry *entry;

  for (guint i = 1; i <= 40; i++)
    g_string_append_printf (text, "https://x.example/%u.jpg\n", i);
  g_string_append (text, "\"\n");
  input = parse (text->str);
  entry = entry_at (input, 0);
  /* More than Ozon takes is not a reading problem: the plan truncates. */
  g_assert_cmpuint (entry->images->len, ==, 40);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *expected = g_strdup_printf ("https://x.example/%u.jpg", i + 1);
      g_assert_cmpstr (g_ptr_array_index (entry->images, i), ==, expected);
    }
  g_assert_cmpuint (oip_bulk_input_count_problems (input), ==, 0);
}

static void
test_csv_invalid_utf8 (void)
{
  /* A row saved in Windows-1251 among UTF-8 ones, and a stray byte in an
   * unknown header name. */
  const char text[] =
    "offer_id,images,\xcf\xf0\xe8\n"
    "\xc0\xd0\xd2-1,https://x.example/1.jpg,\n"
    "ART-2,https://x.example/2.jpg,\n"
    "ART-3,\"https://x.example/\xff.jpg\n\",\n"
    "АРТ-4,https://x.example/4.jpg,\n";
  g_autoptr(OipBulkInput) input = parse (text);

  g_assert_cmpuint (input->entries->len, ==, 2);
  g_assert_cmpstr (entry_at (input, 0)->value, ==, "ART-2");
  g_assert_cmpstr (entry_at (input, 1)->value, ==, "АРТ-4");
  assert_problem (input->problems, "invalid_utf8", 2);
  assert_problem (input->problems, "invalid_utf8", 4);
  assert_problem (input->problems, "unknown_column", 1);
  for (guint i = 0; i < input->problems->len; i++)
    g_assert_true (g_utf8_validate (((OipBulkProblem *) g_ptr_array_index (input->problems, i))->message, -1, NULL));
}

static void
test_csv_not_csv (void)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
  static const char utf16[] = "\xff\xfeo\x00" "f\x00";
  static const char xlsx[] = "PK\x03\x04\x14\x00\x06\x00";

  parse_fails ("", 0);
  parse_fails ("\xef\xbb\xbf", 3);
  parse_fails (" \r\n\n\t", -1);
  parse_fails (png, sizeof png - 1);
  parse_fails (utf16, sizeof utf16 - 1);
  parse_fails (xlsx, sizeof xlsx - 1);
  parse_fails ("offer_id,images\nA-1,https://x.example/\0.jpg\n", 44);
  /* Data without a header row. */
  parse_fails ("ART-1,https://x.example/1.jpg\n", -1);
  parse_fails ("offer_id,sku,images\n", -1);
  parse_fails ("offer_id,image,images,position\n", -1);
  parse_fails ("offer_id,color_image\nA-1,https://x.example/1.jpg\n", -1);
  parse_fails ("offer_id,images,Images\n", -1);
  parse_fails ("\"offer_id,images\n", -1);
}

static void
test_csv_header_only (void)
{
  g_autoptr(OipBulkInput) input = parse ("\n\noffer_id,images\r\n\r\n,\r\n");

  g_assert_cmpuint (input->entries->len, ==, 0);
  g_assert_cmpuint (input->problems->len, ==, 1);
  assert_problem (input->problems, "no_rows", 0);
}

static void
test_csv_field_count (void)
{
  g_autoptr(OipBulkInput) input = parse ("offer_id,images,color_image\n"
                                         "A-1,https://x.example/1.jpg\n"
                                         "A-2,https://x.example/2.jpg,,https://x.example/3.jpg\n"
                                         "A-3,https://x.example/3.jpg,, ,\n"
                                         "A-4,https://x.example/4.jpg,https://x.example/c.jpg\n");

  assert_problem (input->problems, "field_count", 2);
  assert_problem (input->problems, "field_count", 3);
  g_assert_cmpuint (input->problems->len, ==, 2);
  g_assert_cmpuint (input->entries->len, ==, 2);
  g_assert_cmpstr (entry_at (input, 0)->value, ==, "A-3");

  /* Columns without a name at the end of the header may be missing. */
  g_clear_pointer (&input, oip_bulk_input_free);
  input = parse ("offer_id;images;;;\n"
                 "A-1;https://x.example/1.jpg\n"
                 "A-2;https://x.example/2.jpg;;;\n"
                 "A-3\n");
  g_assert_cmpuint (input->entries->len, ==, 2);
  assert_problem (input->problems, "field_count", 4);
  g_assert_cmpuint (input->problems->len, ==, 1);
}

static void
test_csv_unclosed_quote (void)
{
  g_autoptr(OipBulkInput) input = NULL;
  g_autoptr(GString) text = g_string_new ("offer_id,images\n");

  /* A quote in the middle of a cell is text; one that opens a cell and
   * never closes costs that row only. */
  g_string_append (text, "A-1,https://x.example/a\"b.jpg\n");
  g_string_append (text, "A-2,\"https://x.example/2.jpg\n");
  for (guint i = 3; i < 500; i++)
    g_string_append_printf (text, "A-%u,https://x.example/%u.jpg\n", i, i);
  input = parse (text->str);
  assert_images (entry_at (input, 0), "https://x.example/a\"b.jpg", NULL);
  assert_problem (input->problems, "unclosed_quote", 3);
  g_assert_cmpuint (input->problems->len, ==, 1);
  g_assert_cmpuint (input->entries->len, ==, 498);
  g_assert_cmpuint (entry_at (input, 497)->line, ==, 500);
}

static void
test_csv_local_paths (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *csv_path = g_build_filename (dir, "shoot", "products.csv", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autofree char *in_dir = g_build_filename (dir, "shoot", NULL);
  g_autofree char *rel = uri_of (in_dir, "img/1.jpg");
  g_autofree char *up = uri_of (dir, "common/size.jpg");
  g_autofree char *home = uri_of (g_get_home_dir (), "pics/x.jpg");
  g_autofree char *spaces = uri_of (in_dir, "My Photos/1 (2).jpg");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipBulkInput) input = NULL;
  g_autoptr(OipBulkInput) per_image = NULL;
  OipBulkEntry *entry;

  text = g_strdup_printf ("offer_id,images,color_image\n"
                          "A-1,./img/1.jpg ../common/size.jpg ~/pics/x.jpg /srv/a/../b.jpg "
                          "file:///already/there.jpg photos/1.jpg //cdn.example/p.jpg,./img/../img/1.jpg\n");
  input = oip_bulk_input_parse_csv (text, strlen (text), csv_file, &error);
  g_assert_no_error (error);
  entry = entry_at (input, 0);
  /* Relative to the CSV's folder, not to the working directory. */
  assert_images (entry, rel, up, home, "file:///srv/b.jpg", "file:///already/there.jpg",
                 "photos/1.jpg", "//cdn.example/p.jpg", NULL);
  g_assert_cmpstr (entry->color_image, ==, rel);

  /* One address per cell: a path with spaces works. */
  g_free (text);
  text = g_strdup_printf ("offer_id,image,position\nA-1, ./My Photos/1 (2).jpg ,1\n");
  per_image = oip_bulk_input_parse_csv (text, strlen (text), csv_file, &error);
  g_assert_no_error (error);
  assert_images (entry_at (per_image, 0), spaces, NULL);

  remove_tree (dir);
}

static void
test_csv_header_names (void)
{
  g_autoptr(OipBulkInput) input = parse (" Offer ID ;IMAGES;Primary-Image;Notes;notes;\n"
                                         "A-1;https://x.example/1.jpg;https://x.example/0.jpg;hello;;\n"
                                         "A-2;https://x.example/2.jpg;;;;\n");

  g_assert_cmpuint (input->entries->len, ==, 2);
  assert_images (entry_at (input, 0), "https://x.example/0.jpg", "https://x.example/1.jpg", NULL);
  /* Reported once each, on the header's line, not once per row. */
  g_assert_cmpuint (count_code (input->problems, "unknown_column"), ==, 2);
  g_assert_cmpuint (input->problems->len, ==, 2);
}

static OipBulkInput *
read_csv (GFile         *file,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_bulk_input_read_csv_async (file, cancellable, oip_test_on_ready, &result);
  /* The caller's loop stays free: the answer comes later. */
  g_assert_null (result);
  oip_test_wait (&result);
  return oip_bulk_input_read_csv_finish (result, error);
}

static void
test_csv_read_file (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *csv_path = g_build_filename (dir, "products.csv", NULL);
  g_autofree char *big_path = g_build_filename (dir, "big.csv", NULL);
  g_autofree char *p1 = g_build_filename (dir, "img", "1.jpg", NULL);
  g_autofree char *p2 = g_build_filename (dir, "img", "2.png", NULL);
  g_autofree char *pc = g_build_filename (dir, "img", "color.png", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autoptr(GFile) big_file = g_file_new_for_path (big_path);
  g_autoptr(GFile) dir_file = g_file_new_for_path (dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(OipBulkInput) input = NULL;
  g_autoptr(GError) error = NULL;
  guint64 s1, s2, sc;
  OipBulkEntry *entry;
  int fd;

  s1 = write_picture (p1, "jpeg");
  s2 = write_picture (p2, "png");
  sc = write_picture (pc, "png");
  write_file (csv_path,
              "offer_id;images;color_image\n"
              "A-1;./img/1.jpg ./img/2.png https://x.example/r.jpg;./img/color.png\n"
              "A-2;./img/missing.jpg ./img;\n", -1);

  input = read_csv (csv_file, NULL, &error);
  g_assert_no_error (error);
  entry = entry_at (input, 0);
  g_assert_cmpuint (entry->local_bytes, ==, s1 + s2 + sc);
  g_assert_cmpuint (entry->problems->len, ==, 0);
  entry = entry_at (input, 1);
  g_assert_cmpuint (entry->local_bytes, ==, 0);
  assert_problem (entry->problems, "file_missing", 3);
  assert_problem (entry->problems, "not_a_file", 3);
  g_clear_pointer (&input, oip_bulk_input_free);

  /* A file over the limit is refused before it is parsed. */
  fd = g_open (big_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "offer_id,images\n", 16), ==, 16);
  g_assert_cmpint (ftruncate (fd, OIP_BULK_CSV_MAX_SIZE + 1), ==, 0);
  close (fd);
  input = read_csv (big_file, NULL, &error);
  g_assert_null (input);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "64"));
  g_clear_error (&error);

  /* Exactly at the limit it is read (and found binary: sparse zeros). */
  g_assert_cmpint (truncate (big_path, OIP_BULK_CSV_MAX_SIZE), ==, 0);
  input = read_csv (big_file, NULL, &error);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST);
  g_assert_null (strstr (error->message, "64"));
  g_clear_error (&error);

  input = read_csv (dir_file, NULL, &error);
  g_assert_null (input);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_IO);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  input = read_csv (csv_file, cancellable, &error);
  g_assert_null (input);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  remove_tree (dir);
}

static void
test_csv_large (void)
{
  g_autoptr(GString) text = g_string_new ("offer_id,images,primary_image,color_image\r\n");
  g_autoptr(OipBulkInput) input = NULL;
  g_autoptr(GError) error = NULL;
  gint64 best = G_MAXINT64;
  gint64 best_cpu = G_MAXINT64;

  for (guint i = 0; i < 10000; i++)
    {
      g_string_append_printf (text, "ART-%05u,\"", i);
      for (guint j = 1; j <= 5; j++)
        g_string_append_printf (text, "https://cdn.example.com/shoot/ART-%05u/%u.jpg%s", i, j, j < 5 ? " " : "");
      g_string_append_printf (text, "\",https://cdn.example.com/shoot/ART-%05u/5.jpg,\r\n", i);
    }

  for (guint run = 0; run < 3; run++)
    {
      struct timespec cpu_start, cpu_end;
      gint64 start;

      g_clear_pointer (&input, oip_bulk_input_free);
      clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu_start);
      start = g_get_monotonic_time ();
      input = parse_in ("/srv/shop", text->str, text->len, &error);
      best = MIN (best, g_get_monotonic_time () - start);
      clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu_end);
      best_cpu = MIN (best_cpu, (cpu_end.tv_sec - cpu_start.tv_sec) * G_USEC_PER_SEC +
                                (cpu_end.tv_nsec - cpu_start.tv_nsec) / 1000);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (input->entries->len, ==, 10000);
  g_assert_cmpuint (input->problems->len, ==, 0);
  g_assert_cmpstr (entry_at (input, 9999)->value, ==, "ART-09999");
  g_assert_cmpuint (entry_at (input, 9999)->line, ==, 10001);
  g_assert_cmpstr (g_ptr_array_index (entry_at (input, 9999)->images, 0), ==,
                   "https://cdn.example.com/shoot/ART-09999/5.jpg");
  /* Best of three; CPU time as well, as the machine may be shared. */
  /* A figure, not a timed assertion: the machine may be shared. */
  g_test_message ("bulk CSV: 10 000 rows × 5 images (%.1f MB) parsed in %.1f ms (%.1f ms CPU)",
                  text->len / 1e6, best / 1000.0, best_cpu / 1000.0);
}

static void
test_csv_translated (void)
{
  const char *localedir = g_getenv ("OZON_PUSH_LOCALEDIR");
  struct { const char *lang; const char *word; } cases[] = {
    { "ru", "пропущена" },
    { "zh_CN", "跳过" },
  };

  if (localedir == NULL)
    {
      g_test_skip ("OZON_PUSH_LOCALEDIR is not set");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "ru", TRUE);
  setlocale (LC_ALL, "");
  if (g_str_equal (g_dgettext (GETTEXT_PACKAGE, "Offer ID"), "Offer ID"))
    {
      /* glibc 2.43 ignores LANGUAGE under LANG=C.UTF-8. */
      g_unsetenv ("LANGUAGE");
      setlocale (LC_ALL, "");
      g_test_skip ("LANGUAGE has no effect in this locale");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OipBulkInput) input = NULL;

      g_setenv ("LANGUAGE", cases[i].lang, TRUE);
      setlocale (LC_ALL, "");
      input = parse ("offer_id,images\nA-1,https://x.example/1.jpg\nA-1,https://x.example/2.jpg\n");
      assert_problem (input->problems, "duplicate_identifier", 3);
      g_assert_nonnull (strstr (find_problem (input->problems, "duplicate_identifier", 3)->message,
                                cases[i].word));
    }
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
}

/* ---- Folders ---- */

static OipBulkInput *
read_folder (const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  oip_bulk_input_read_folder_async (folder, cancellable, oip_test_on_ready, &result);
  g_assert_null (result);
  oip_test_wait (&result);
  return oip_bulk_input_read_folder_finish (result, error);
}

static OipBulkInput *
read_folder_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  OipBulkInput *input = read_folder (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (input);
  return input;
}

static void
test_natural_order (void)
{
  const char *names[] = { "IMG_10.jpg", "b.jpg", "1.jpg", "A.jpg", "img_2.jpg", "10.jpg", "2.jpg",
                          "01.jpg", "1a.jpg", "1 (2).jpg", "Ж.jpg", "ж2.jpg" };
  const char *sorted[] = { "1.jpg", "01.jpg", "1 (2).jpg", "1a.jpg", "2.jpg", "10.jpg", "A.jpg",
                           "b.jpg", "img_2.jpg", "IMG_10.jpg", "Ж.jpg", "ж2.jpg" };
  g_autoptr(GPtrArray) array = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (array, (gpointer) names[i]);
  for (guint i = 0; i < array->len; i++)
    for (guint j = i + 1; j < array->len; j++)
      if (oip_bulk_natural_compare (g_ptr_array_index (array, j), g_ptr_array_index (array, i)) < 0)
        {
          gpointer tmp = array->pdata[i];
          array->pdata[i] = array->pdata[j];
          array->pdata[j] = tmp;
        }
  for (guint i = 0; i < G_N_ELEMENTS (sorted); i++)
    g_assert_cmpstr (g_ptr_array_index (array, i), ==, sorted[i]);
  g_assert_cmpint (oip_bulk_natural_compare ("a.jpg", "a.jpg"), ==, 0);
  g_assert_cmpint (oip_bulk_natural_compare ("A.jpg", "a.jpg"), !=, 0);
  g_assert_cmpint (oip_bulk_natural_compare ("99999999999999999999.jpg", "100000000000000000000.jpg"), <, 0);
}

static void
test_folder_order_main_color (void)
{
  g_autofree char *root = make_tmp_dir ();
  g_autofree char *art = g_build_filename (root, "ART-1001", NULL);
  g_autoptr(OipBulkInput) input = NULL;
  g_autofree char *u_main = uri_of (art, "Main.JPG");
  g_autofree char *u_1 = uri_of (art, "1.png");
  g_autofree char *u_2 = uri_of (art, "2.jpg");
  g_autofree char *u_10 = uri_of (art, "10.jpg");
  g_autofree char *u_b = uri_of (art, "B.webp");
  g_autofree char *u_color = uri_of (art, "color.png");
  g_autofree char *u_heic = uri_of (art, "shot");
  guint64 total = 0;
  OipBulkEntry *entry;

  total += pic (art, "10.jpg", "jpeg");
  total += pic (art, "2.jpg", "jpeg");
  total += pic (art, "1.png", "png");
  total += pic (art, "Main.JPG", "jpeg");
  total += pic (art, "B.webp", "webp");
  total += pic (art, "color.png", "png");
  /* No extension: the content says it is a picture. */
  total += pic (art, "shot", "heic");
  pic (root, "ART-2/a.jpg", "jpeg");

  input = read_folder_ok (root);
  g_assert_cmpuint (input->problems->len, ==, 0);
  g_assert_cmpuint (input->entries->len, ==, 2);
  /* Folders in natural order too: ART-2 before ART-1001. */
  g_assert_cmpstr (entry_at (input, 0)->value, ==, "ART-2");
  entry = entry_at (input, 1);
  g_assert_cmpint (entry->key, ==, OIP_PRODUCT_KEY_OFFER_ID);
  g_assert_cmpstr (entry->value, ==, "ART-1001");
  g_assert_cmpstr (entry->where, ==, "ART-1001");
  g_assert_cmpuint (entry->line, ==, 0);
  assert_images (entry, u_main, u_1, u_2, u_10, u_b, u_heic, NULL);
  g_assert_cmpstr (entry->color_image, ==, u_color);
  g_assert_cmpuint (entry->local_bytes, ==, total);
  g_assert_cmpuint (entry->problems->len, ==, 0);

  remove_tree (root);
}

static void
test_folder_problems (void)
{
  g_autofree char *root = make_tmp_dir ();
  g_autofree char *art = g_build_filename (root, "ART-2", NULL);
  g_autofree char *long_name = g_strnfill (51, 'x');
  g_autofree char *ok_name = g_strnfill (50, 'y');
  g_autofree char *long_dir = g_build_filename (root, long_name, NULL);
  g_autofree char *ok_dir = g_build_filename (root, ok_name, NULL);
  g_autoptr(OipBulkInput) input = NULL;
  g_autofree char *u_1 = uri_of (art, "1.jpg");
  g_autofree char *u_main = uri_of (art, "main.png");
  g_autofree char *u_main2 = uri_of (art, "main.jpg");
  g_autofree char *u_c = uri_of (art, "color.jpg");
  OipBulkEntry *entry;

  pic (art, "1.jpg", "jpeg");
  pic (art, "main.jpg", "jpeg");
  pic (art, "main.png", "png");
  pic (art, "color.jpg", "jpeg");
  pic (art, "colour.png", "png");
  txt (art, "notes.txt", "call the studio", -1);
  txt (art, "fake.jpg", "not a picture at all, just text", -1);
  txt (art, "anim.gif", "GIF89a\x01\x00\x01\x00", 10);
  txt (art, "empty.jpg", "", 0);
  pic (art, "retouched/1.jpg", "jpeg");
  pic (art, ".hidden.jpg", "jpeg");
  txt (art, "Thumbs.db", "x", 1);
  pic (root, "stray.jpg", "jpeg");
  txt (root, "readme.txt", "hi", 2);
  pic (root, ".git/x.jpg", "jpeg");
  pic (root, "   /1.jpg", "jpeg");
  pic (long_dir, "1.jpg", "jpeg");
  pic (ok_dir, "1.jpg", "jpeg");
  pic (root, "bad\001name/1.jpg", "jpeg");
  pic (root, "\xff\xfe-latin1/1.jpg", "jpeg");
  pic (root, "ART-3/1.jpg", "jpeg");
  pic (root, "ART-3 /1.jpg", "jpeg");
  txt (root, "ART-EMPTY/.keep", "", 0);
  txt (root, "ART-TEXT/a.txt", "x", 1);

  input = read_folder_ok (root);

  entry = oip_bulk_input_find (input, "ART-2");
  /* main.jpg sorts before main.png: the first is the main image, the
   * other stays among the pictures; the second color.* is left out. */
  assert_images (entry, u_main2, u_1, u_main, NULL);
  g_assert_cmpstr (entry->color_image, ==, u_c);
  g_assert_nonnull (find_problem_at (entry->problems, "duplicate_main", "ART-2"));
  g_assert_nonnull (find_problem_at (entry->problems, "duplicate_color", "ART-2"));
  g_assert_cmpuint (entry->problems->len, ==, 2);

  g_assert_nonnull (find_problem_at (input->problems, "not_a_picture", "ART-2/notes.txt"));
  g_assert_nonnull (find_problem_at (input->problems, "not_a_picture", "ART-2/fake.jpg"));
  g_assert_nonnull (find_problem_at (input->problems, "not_a_picture", "ART-2/anim.gif"));
  g_assert_nonnull (find_problem_at (input->problems, "not_a_picture", "ART-2/empty.jpg"));
  /* The text file named .jpg is told apart from the plain text file. */
  g_assert_cmpstr (find_problem_at (input->problems, "not_a_picture", "ART-2/fake.jpg")->message, !=,
                   find_problem_at (input->problems, "not_a_picture", "ART-2/notes.txt")->message);
  g_assert_nonnull (find_problem_at (input->problems, "nested_folder", "ART-2/retouched"));
  g_assert_nonnull (find_problem_at (input->problems, "outside_product", "stray.jpg"));
  g_assert_nonnull (find_problem_at (input->problems, "outside_product", "readme.txt"));
  g_assert_nonnull (find_problem_at (input->problems, "bad_identifier", "   "));
  g_assert_nonnull (find_problem_at (input->problems, "bad_identifier", long_name));
  g_assert_nonnull (find_problem_at (input->problems, "bad_identifier", "bad\001name"));
  g_assert_cmpuint (count_code (input->problems, "bad_identifier"), ==, 4);
  g_assert_nonnull (find_problem_at (input->problems, "duplicate_identifier", "ART-3 "));
  g_assert_nonnull (find_problem_at (input->problems, "no_images", "ART-EMPTY"));
  g_assert_nonnull (find_problem_at (input->problems, "no_images", "ART-TEXT"));
  g_assert_nonnull (find_problem_at (input->problems, "not_a_picture", "ART-TEXT/a.txt"));
  /* Hidden files and folders, Thumbs.db: not a word. */
  for (guint i = 0; i < input->problems->len; i++)
    {
      const OipBulkProblem *problem = g_ptr_array_index (input->problems, i);

      g_assert_null (strstr (problem->where, ".git"));
      g_assert_null (strstr (problem->where, "hidden"));
      g_assert_null (strstr (problem->where, "Thumbs"));
      g_assert_cmpuint (problem->line, ==, 0);
      g_assert_true (g_utf8_validate (problem->where, -1, NULL));
      g_assert_true (g_utf8_validate (problem->message, -1, NULL));
    }
  g_assert_cmpuint (input->problems->len, ==, 15);

  g_assert_cmpuint (input->entries->len, ==, 3);
  g_assert_nonnull (oip_bulk_input_find (input, "ART-3"));
  g_assert_nonnull (oip_bulk_input_find (input, ok_name));

  remove_tree (root);
}

static void
test_folder_sidecar (void)
{
  g_autofree char *root = make_tmp_dir ();
  g_autofree char *good = g_build_filename (root, "GOOD", NULL);
  g_autoptr(OipBulkInput) input = NULL;
  g_autofree char *u_3 = uri_of (good, "3.jpg");
  g_autofree char *u_1 = uri_of (good, "1.jpg");
  g_autofree char *u_2 = uri_of (good, "2.jpg");
  g_autofree char *u_main = uri_of (good, "main.jpg");
  g_autofree char *u_sw = uri_of (good, "swatch.png");
  g_autofree char *partial = g_build_filename (root, "PARTIAL", NULL);
  g_autofree char *p_b = uri_of (partial, "b.jpg");
  g_autofree char *p_a = uri_of (partial, "a.jpg");
  g_autofree char *p_c = uri_of (partial, "c.jpg");
  g_autofree char *p_color = uri_of (partial, "color.jpg");
  const char *bad_names[] = { "BAD-JSON", "BAD-TYPE", "BAD-ORDER", "BAD-ROOT", "BAD-MAIN", "BAD-EMPTY" };
  const char *bad_texts[] = {
    "{\"main\": \"1.jpg\",",
    "{\"main\": 1}",
    "{\"order\": [\"1.jpg\", 2]}",
    "[\"1.jpg\"]",
    "{\"main\": \"nope.jpg\"}",
    "",
  };
  OipBulkEntry *entry;

  for (const char *const *n = (const char *const[]) { "1.jpg", "2.jpg", "3.jpg", "main.jpg", NULL }; *n; n++)
    pic (good, *n, "jpeg");
  pic (good, "swatch.png", "png");
  txt (good, "ozon.json",
              "{\"main\": \"3.jpg\", \"color\": \"SWATCH.png\", \"order\": [\"2.jpg\", \"1.jpg\", \"3.jpg\"],"
              " \"comment\": \"from the studio\"}", -1);

  for (const char *const *n = (const char *const[]) { "a.jpg", "b.jpg", "c.jpg", "color.jpg", NULL }; *n; n++)
    pic (partial, *n, "jpeg");
  txt (partial, "OZON.JSON",
              "{\"order\": [\"b.jpg\", \"gone.jpg\"], \"color\": null}", -1);

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_autofree char *bad_dir = g_build_filename (root, bad_names[i], NULL);

      pic (bad_dir, "1.jpg", "jpeg");
      txt (bad_dir, "ozon.json", bad_texts[i], -1);
    }

  input = read_folder_ok (root);
  g_assert_cmpuint (input->entries->len, ==, 2);

  entry = oip_bulk_input_find (input, "GOOD");
  /* The sidecar wins over main.jpg, and finds SWATCH.png in any case. */
  assert_images (entry, u_3, u_2, u_1, u_main, NULL);
  g_assert_cmpstr (entry->color_image, ==, u_sw);
  g_assert_nonnull (find_problem_at (entry->problems, "sidecar_unknown_key", "GOOD/ozon.json"));
  g_assert_nonnull (find_problem_at (entry->problems, "sidecar_unlisted", "GOOD"));
  g_assert_nonnull (strstr (find_problem_at (entry->problems, "sidecar_unlisted", "GOOD")->message, "main.jpg"));
  g_assert_cmpuint (entry->problems->len, ==, 2);

  entry = oip_bulk_input_find (input, "PARTIAL");
  /* Listed first, the others in name order; color.jpg still the color. */
  assert_images (entry, p_b, p_a, p_c, NULL);
  g_assert_cmpstr (entry->color_image, ==, p_color);
  g_assert_nonnull (find_problem_at (entry->problems, "sidecar_missing_file", "PARTIAL"));
  g_assert_nonnull (find_problem_at (entry->problems, "sidecar_unlisted", "PARTIAL"));

  /* A sidecar that cannot be used stops its product, not the others. */
  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_autofree char *where = g_strconcat (bad_names[i], "/ozon.json", NULL);

      g_assert_null (oip_bulk_input_find (input, bad_names[i]));
      g_assert_nonnull (find_problem_at (input->problems, "bad_sidecar", where));
    }
  g_assert_cmpuint (input->problems->len, ==, G_N_ELEMENTS (bad_names));

  remove_tree (root);
}

static void
test_folder_one_product (void)
{
  g_autofree char *parent = make_tmp_dir ();
  g_autofree char *root = g_build_filename (parent, "ART-777", NULL);
  g_autoptr(OipBulkInput) input = NULL;
  g_autofree char *u_1 = uri_of (root, "1.jpg");
  g_autofree char *u_2 = uri_of (root, "2.jpg");
  const OipBulkProblem *notice;
  OipBulkEntry *entry;

  pic (root, "2.jpg", "jpeg");
  pic (root, "1.jpg", "jpeg");
  txt (root, "notes.txt", "x", 1);

  input = read_folder_ok (root);
  g_assert_cmpuint (input->entries->len, ==, 1);
  entry = entry_at (input, 0);
  g_assert_cmpstr (entry->value, ==, "ART-777");
  g_assert_cmpstr (entry->where, ==, "ART-777");
  assert_images (entry, u_1, u_2, NULL);
  notice = find_problem (input->problems, "one_product_folder", 0);
  g_assert_nonnull (notice);
  g_assert_nonnull (strstr (notice->message, "ART-777"));
  /* Its files are named relative to it. */
  g_assert_nonnull (find_problem_at (input->problems, "not_a_picture", "notes.txt"));
  g_assert_cmpuint (input->problems->len, ==, 2);

  remove_tree (parent);
}

static void
test_folder_symlinks (void)
{
  g_autofree char *root = make_tmp_dir ();
  g_autofree char *outside = make_tmp_dir ();
  g_autofree char *art = g_build_filename (root, "ART-1", NULL);
  g_autofree char *shared = g_build_filename (outside, "size-chart.png", NULL);
  g_autofree char *more = g_build_filename (outside, "more", NULL);
  g_autofree char *u_1 = uri_of (art, "1.jpg");
  g_autofree char *u_link = uri_of (art, "2-size-chart.png");
  g_autoptr(OipBulkInput) input = NULL;
  guint64 size1, size_shared;
  OipBulkEntry *entry;

  size1 = pic (art, "1.jpg", "jpeg");
  size_shared = write_picture (shared, "png");
  pic (outside, "more/9.jpg", "jpeg");
  link_to (shared, art, "2-size-chart.png");
  link_to (outside, art, "linked-folder");
  link_to ("/nonexistent/oip/x.jpg", art, "3.jpg");
  /* A loop would never end if links to folders were followed. */
  link_to (root, art, "loop");
  link_to (more, root, "ART-LINK");
  link_to (shared, root, "loose.png");

  input = read_folder_ok (root);
  g_assert_cmpuint (input->entries->len, ==, 1);
  entry = entry_at (input, 0);
  /* A link to a file is followed: the link's address, the target's size. */
  assert_images (entry, u_1, u_link, NULL);
  g_assert_cmpuint (entry->local_bytes, ==, size1 + size_shared);
  g_assert_nonnull (find_problem_at (input->problems, "symlinked_folder", "ART-1/linked-folder"));
  g_assert_nonnull (find_problem_at (input->problems, "symlinked_folder", "ART-1/loop"));
  g_assert_nonnull (find_problem_at (input->problems, "broken_link", "ART-1/3.jpg"));
  g_assert_nonnull (find_problem_at (input->problems, "symlinked_folder", "ART-LINK"));
  g_assert_nonnull (find_problem_at (input->problems, "outside_product", "loose.png"));
  g_assert_cmpuint (input->problems->len, ==, 5);

  remove_tree (root);
  remove_tree (outside);
}

static void
test_folder_errors (void)
{
  g_autofree char *root = make_tmp_dir ();
  g_autofree char *file = g_build_filename (root, "list.csv", NULL);
  g_autofree char *missing = g_build_filename (root, "missing", NULL);
  g_autofree char *empty = g_build_filename (root, "empty", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OipBulkInput) input = NULL;

  write_file (file, "offer_id,images\n", -1);
  input = read_folder (file, NULL, &error);
  g_assert_null (input);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_IO);
  g_clear_error (&error);

  input = read_folder (missing, NULL, &error);
  g_assert_null (input);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_IO);
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
  input = read_folder_ok (empty);
  g_assert_cmpuint (input->entries->len, ==, 0);
  assert_problem (input->problems, "no_product_folders", 0);
  g_clear_pointer (&input, oip_bulk_input_free);

  pic (root, "shop/A-1/1.jpg", "jpeg");
  g_cancellable_cancel (cancellable);
  g_free (empty);
  empty = g_build_filename (root, "shop", NULL);
  input = read_folder (empty, cancellable, &error);
  g_assert_null (input);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  remove_tree (root);
}

static void
test_folder_many (void)
{
  g_autofree char *root = make_tmp_dir ();
  g_autoptr(OipBulkInput) input = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (root);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jpeg_path = g_build_filename (root, "seed.jpg", NULL);
  g_autofree char *jpeg = NULL;
  gsize jpeg_length;
  gint64 elapsed;

  /* 500 product folders × 5 pictures, the issue's “done when”. */
  write_picture (jpeg_path, "jpeg");
  g_assert_true (g_file_get_contents (jpeg_path, &jpeg, &jpeg_length, NULL));
  g_unlink (jpeg_path);
  for (guint i = 0; i < 500; i++)
    for (guint j = 1; j <= 5; j++)
      {
        g_autofree char *path = g_strdup_printf ("%s/ART-%u/%u.jpg", root, i, j);
        write_file (path, jpeg, jpeg_length);
      }

  oip_bulk_input_read_folder_async (folder, NULL, oip_test_on_ready, &result);
  elapsed = oip_test_wait_elapsed_ms (&result);
  input = oip_bulk_input_read_folder_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (input->entries->len, ==, 500);
  g_assert_cmpuint (input->problems->len, ==, 0);
  /* Natural order of folders too: ART-2 before ART-10. */
  g_assert_cmpstr (entry_at (input, 2)->value, ==, "ART-2");
  g_assert_cmpstr (entry_at (input, 10)->value, ==, "ART-10");
  g_assert_cmpuint (entry_at (input, 499)->local_bytes, ==, 5 * jpeg_length);
  g_printerr ("# bulk folder: 500 product folders × 5 pictures read in %" G_GINT64_FORMAT " ms\n", elapsed);

  remove_tree (root);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* First, before any worker thread: it changes the environment. */
  g_test_add_func ("/bulk-input/csv/translated", test_csv_translated);
  g_test_add_func ("/bulk-input/csv/comma-bom-crlf", test_csv_comma_bom_crlf);
  g_test_add_func ("/bulk-input/csv/semicolon-quotes", test_csv_semicolon_quotes);
  g_test_add_func ("/bulk-input/csv/delimiter-detection", test_csv_delimiter_detection);
  g_test_add_func ("/bulk-input/csv/quoted-newlines", test_csv_quoted_newlines_lines);
  g_test_add_func ("/bulk-input/csv/empty-cells", test_csv_empty_cells_blank_rows);
  g_test_add_func ("/bulk-input/csv/duplicates", test_csv_duplicates);
  g_test_add_func ("/bulk-input/csv/per-image", test_csv_per_image);
  g_test_add_func ("/bulk-input/csv/identifiers", test_csv_identifiers);
  g_test_add_func ("/bulk-input/csv/many-images", test_csv_many_images);
  g_test_add_func ("/bulk-input/csv/invalid-utf8", test_csv_invalid_utf8);
  g_test_add_func ("/bulk-input/csv/not-csv", test_csv_not_csv);
  g_test_add_func ("/bulk-input/csv/header-only", test_csv_header_only);
  g_test_add_func ("/bulk-input/csv/field-count", test_csv_field_count);
  g_test_add_func ("/bulk-input/csv/unclosed-quote", test_csv_unclosed_quote);
  g_test_add_func ("/bulk-input/csv/local-paths", test_csv_local_paths);
  g_test_add_func ("/bulk-input/csv/header-names", test_csv_header_names);
  g_test_add_func ("/bulk-input/csv/read-file", test_csv_read_file);
  g_test_add_func ("/bulk-input/csv/10000-rows", test_csv_large);
  g_test_add_func ("/bulk-input/folder/natural-order", test_natural_order);
  g_test_add_func ("/bulk-input/folder/order-main-color", test_folder_order_main_color);
  g_test_add_func ("/bulk-input/folder/problems", test_folder_problems);
  g_test_add_func ("/bulk-input/folder/sidecar", test_folder_sidecar);
  g_test_add_func ("/bulk-input/folder/one-product", test_folder_one_product);
  g_test_add_func ("/bulk-input/folder/symlinks", test_folder_symlinks);
  g_test_add_func ("/bulk-input/folder/errors", test_folder_errors);
  g_test_add_func ("/bulk-input/folder/500-products", test_folder_many);
  return g_test_run ();
}
