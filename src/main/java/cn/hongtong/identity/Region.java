package cn.hongtong.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An administrative region: province 2, city 4, county 6, township 9, village 12 digits. */
@Entity
@Table(name = "region")
public class Region {

    @Id
    @Column(name = "code", length = 12)
    public String code;

    @Column(name = "name", nullable = false, length = 100)
    public String name;

    @Column(name = "level", nullable = false)
    public short level;

    @Column(name = "parent_code", length = 12)
    public String parentCode;
}
