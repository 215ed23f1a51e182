"""NHS Data Dictionary codes for demographics, so figures mean the same everywhere."""

from django.db import models


class EthnicCategory(models.TextChoices):
    WHITE_BRITISH = "A", "White: British"
    WHITE_IRISH = "B", "White: Irish"
    WHITE_OTHER = "C", "White: any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "D", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "E", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "F", "Mixed: White and Asian"
    MIXED_OTHER = "G", "Mixed: any other mixed background"
    ASIAN_INDIAN = "H", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "J", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "K", "Asian or Asian British: Bangladeshi"
    ASIAN_OTHER = "L", "Asian or Asian British: any other Asian background"
    BLACK_CARIBBEAN = "M", "Black or Black British: Caribbean"
    BLACK_AFRICAN = "N", "Black or Black British: African"
    BLACK_OTHER = "P", "Black or Black British: any other Black background"
    CHINESE = "R", "Other ethnic groups: Chinese"
    OTHER = "S", "Other ethnic groups: any other ethnic group"
    NOT_STATED = "Z", "Not stated (asked and declined)"
    NOT_KNOWN = "99", "Not known"


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "01", "Employed"
    UNEMPLOYED_SEEKING_WORK = "02", "Unemployed and actively seeking work"
    STUDENT = "03", "Student"
    LONG_TERM_SICK_OR_DISABLED = "04", "Long-term sick or disabled"
    HOMEMAKER = "05", "Homemaker"
    NOT_WORKING_NOT_SEEKING = "06", "Not receiving benefits, not working or seeking work"
    UNPAID_VOLUNTARY_WORK = "07", "Unpaid voluntary work"
    RETIRED = "08", "Retired"
    NOT_STATED = "ZZ", "Not stated"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


# The age bands the evaluation reports by: lower and upper age in whole years at referral,
# both included.
AGE_BANDS = (
    (18, 34, "18 to 34"),
    (35, 49, "35 to 49"),
    (50, 64, "50 to 64"),
    (65, 200, "65 and over"),
)
