package cn.hongtong.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A professional field courses belong to. */
@Entity
@Table(name = "category")
public class Category {

    @Id
    @Column(name = "code", length = 40)
    public String code;

    @Column(name = "name_zh", nullable = false, length = 50)
    public String nameZh;

    @Column(name = "name_en", nullable = false, length = 80)
    public String nameEn;

    @Column(name = "position", nullable = false)
    public short position;
}
