/* SPDX-License-Identifier: MIT */
/*
 * CMS's rules on what a submission may hold: programs, submission methods and
 * entity types for a year, what each measure allows, and the warnings CMS's
 * scoring gives reason for.  Each finding is a diagnostic.
 */
#ifndef QPP_CHECK_H
#define QPP_CHECK_H

#include "catalog.h"
#include "diag.h"
#include "write.h"

/* Program, method and entity type against each other and the year's data.
 * Returns the number of errors found. */
int qpp_check_program(const struct qpp_catalog_year *y, int year, const char *program,
                      const char *method, const char *entity_type, struct qpp_diags *d);

/* One measure of year y: in use that year, a shape qppbuild writes, and
 * allowed for the method, the program and the entity type (a method or
 * program y lacks is left to qpp_check_program).  at names the report. */
int qpp_check_measure(const struct qpp_catalog_year *y, const struct qpp_measure *m,
                      int year, const char *program, const char *method,
                      const char *entity_type, const struct qpp_place *at,
                      struct qpp_diags *d);

/* The CEHRT id: required on eCQM sets from 2025, and of one of CMS's two
 * forms.  Returns the number of errors found. */
int qpp_check_cehrt(const char *id, const char *method, int year, struct qpp_diags *d);
/* 2025C + 10 letters or digits, or 2 + 15C + 10 (qpp-submissions-docs). */
int qpp_check_cehrt_form(const char *id);

/* The case count CMS scores a measurement by (data completeness aside). */
long long qpp_case_count(const struct qpp_measure *m, const struct qpp_measurement *q);

/* Warnings on what is written: case minimum and rate of each measurement;
 * with whole_set, the measure count and high priority too. */
void qpp_check_set(const struct qpp_catalog_year *y, const struct qpp_submission *s,
                   int whole_set, struct qpp_diags *d);

/* m is the Medicare CQM alternative (001SSP) of a measure (001) that is in
 * the program's set (app1, appPlus) too. */
int qpp_check_app_alternative(const struct qpp_catalog_year *y,
                              const struct qpp_measure *m, const char *program);

#endif
